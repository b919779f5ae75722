// `review …`: the reviewer's verdict on a submitted sub-task, and the review history.
import { REVIEW_RESULTS } from "../../../contract/vocabulary";
import type { Group } from "../context";
import { type Envelope, print, printJson, printList } from "../output";
import { PAGE_FLAGS, pageQuery, seg } from "./shared";
import type { Review } from "./types";

export const reviewGroup: Group = {
  name: "review",
  summary: "Reviews: create, list, get",
  commands: [
    {
      name: "create",
      summary: "Review a sub-task in review: approved → done, rejected (with --issues) → rework [reviewer]",
      positionals: [
        { name: "sub_task_id", help: "sub-task id", id: "sub_task" },
        { name: "result", help: "approved or rejected", choices: REVIEW_RESULTS },
        { name: "score", help: "1 to 5", int: true, min: 1, max: 5 },
      ],
      flags: [
        { name: "comment", metavar: "TEXT", help: "overall comment ('-' reads standard input)" },
        { name: "issues", metavar: "TEXT", help: "what to fix; required when rejecting ('-' reads standard input)" },
      ],
      async run(c) {
        const review = await c.api.post<Review>("/api/review-records", {
          sub_task_id: c.arg("sub_task_id"),
          result: c.arg("result"),
          score: c.int("score"),
          comment: (await c.text("comment")) ?? "",
          issues: (await c.text("issues")) ?? "",
        });
        c.show(review, () =>
          print(`✅ Review recorded (round ${review.round}): ${review.result}, score ${review.score}/5`),
        );
      },
    },
    {
      name: "list",
      summary: "List review records, newest first",
      flags: [{ name: "sub-task-id", metavar: "ID", id: "sub_task", help: "only this sub-task's" }, ...PAGE_FLAGS],
      async run(c) {
        const body = await c.api.get<Envelope<Review>>("/api/review-records", {
          sub_task_id: c.str("sub-task-id"),
          ...pageQuery(c),
        });
        c.show(body, () =>
          printList(body, "No review records", (r) => {
            const issues = r.issues ? `\n   Issues: ${r.issues}` : "";
            return `Round ${r.round}: ${r.result} (score ${r.score ?? "-"}/5) ${r.comment}`.trimEnd() + issues;
          }),
        );
      },
    },
    {
      name: "get",
      summary: "Show a review record",
      positionals: [{ name: "id", help: "review record id", id: "review" }],
      async run(c) {
        printJson(await c.api.get<Review>(`/api/review-records/${seg(c.arg("id"))}`));
      },
    },
  ],
};
