// `review …`: the reviewer's verdict on a submitted sub-task, and the review history.
import { REVIEW_RESULTS } from "../../../contract/vocabulary";
import type { Group } from "../context";
import { t } from "../i18n/index";
import { type Envelope, print, printJson, printList } from "../output";
import { PAGE_FLAGS, pageQuery, seg } from "./shared";
import type { Review } from "./types";

export const reviewGroup: Group = {
  name: "review",
  summary: (m) => m.review.group,
  commands: [
    {
      name: "create",
      summary: (m) => m.review.create,
      positionals: [
        { name: "sub_task_id", help: (m) => m.st.id, id: "sub_task" },
        { name: "result", help: (m) => m.common.oneOf(REVIEW_RESULTS), choices: REVIEW_RESULTS },
        { name: "score", help: (m) => m.review.score, int: true, min: 1, max: 5 },
      ],
      flags: [
        { name: "comment", metavar: "TEXT", help: (m) => m.common.readsStdin(m.review.comment) },
        { name: "issues", metavar: "TEXT", help: (m) => m.common.readsStdin(m.review.issues) },
      ],
      async run(c) {
        const review = await c.api.post<Review>("/api/review-records", {
          sub_task_id: c.arg("sub_task_id"),
          result: c.arg("result"),
          score: c.int("score"),
          comment: (await c.text("comment")) ?? "",
          issues: (await c.text("issues")) ?? "",
        });
        c.show(review, () => print(t().review.recorded(review.round, review.result, review.score)));
      },
    },
    {
      name: "list",
      summary: (m) => m.review.list,
      flags: [{ name: "sub-task-id", metavar: "ID", id: "sub_task", help: (m) => m.review.onlySubTask }, ...PAGE_FLAGS],
      async run(c) {
        const body = await c.api.get<Envelope<Review>>("/api/review-records", {
          sub_task_id: c.str("sub-task-id"),
          ...pageQuery(c),
        });
        c.show(body, () =>
          printList(body, t().review.none, (r) => {
            const issues = r.issues ? `\n   ${t().review.issuesLine(r.issues)}` : "";
            return (
              t()
                .review.line(r.round, r.result, String(r.score ?? "-"), r.comment)
                .trimEnd() + issues
            );
          }),
        );
      },
    },
    {
      name: "get",
      summary: (m) => m.review.get,
      positionals: [{ name: "id", help: (m) => m.review.id, id: "review" }],
      async run(c) {
        printJson(await c.api.get<Review>(`/api/review-records/${seg(c.arg("id"))}`));
      },
    },
  ],
};
