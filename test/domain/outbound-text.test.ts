import { describe, expect, it } from "vitest";
import {
  dashboardLink,
  defuseMentionsAndLinks,
  feishuEscape,
  feishuMessage,
  SLACK_TEXT_LIMIT,
  slackEscape,
  slackMessage,
} from "../../worker/domain/outbound-text";

const SUB_TASK = {
  task: { id: "t-1", name: "T" },
  sub_task: { id: "s-1", name: "S", status: "review", assigned_agent: null },
};

describe("dashboardLink", () => {
  it("points at the sub-task, else the task, else the patrol page or the dashboard", () => {
    const base = "https://moss.example.com/board/";
    expect(dashboardLink(base, "review_rejected", SUB_TASK)).toEqual({
      url: "https://moss.example.com/board/sub-tasks/s-1",
      label: "Open the sub-task",
    });
    expect(dashboardLink(base, "all_done", { task: SUB_TASK.task })).toEqual({
      url: "https://moss.example.com/board/tasks/t-1",
      label: "Open the task",
    });
    expect(dashboardLink(base, "patrol_alert", {})).toEqual({
      url: "https://moss.example.com/board/patrol",
      label: "Open the patrol page",
    });
    expect(dashboardLink(base, "test", {})).toEqual({
      url: "https://moss.example.com/board",
      label: "Open the dashboard",
    });
  });

  it("is null without an external URL or with one that is not plain, and never puts an odd id into a link", () => {
    expect(dashboardLink("", "review_rejected", SUB_TASK)).toBeNull();
    expect(dashboardLink("javascript:alert(1)", "test", {})).toBeNull();
    expect(dashboardLink("https://moss.example.com/a|b>", "test", {})).toBeNull();
    const odd = { sub_task: { ...SUB_TASK.sub_task, id: "x|<!channel>" }, task: { id: "../evil", name: "T" } };
    expect(dashboardLink("https://moss.example.com", "review_rejected", odd)).toEqual({
      url: "https://moss.example.com",
      label: "Open the dashboard",
    });
  });
});

describe("escaping", () => {
  it("defuses group mentions and Markdown links, and leaves other text alone", () => {
    expect(defuseMentionsAndLinks("@channel @HERE @all @everyone [x](https://e) [y] (z)")).toBe(
      "\uFF20channel \uFF20HERE \uFF20all \uFF20everyone [x] (https://e) [y] (z)",
    );
    expect(defuseMentionsAndLinks("mail bob@allison.example, @alice, arr[0](1)")).toBe(
      "mail bob@allison.example, @alice, arr[0] (1)",
    );
  });

  it("slack: & < > as entities", () => {
    expect(slackEscape("<!channel> & <@U1> <https://e|x> a > b")).toBe(
      "&lt;!channel&gt; &amp; &lt;@U1&gt; &lt;https://e|x&gt; a &gt; b",
    );
  });

  it("slack: bounded after escaping, never cutting an entity or an emoji", () => {
    const cut = slackEscape(`${"a".repeat(SLACK_TEXT_LIMIT - 3)}&🚀`);
    expect(cut).toBe(`${"a".repeat(SLACK_TEXT_LIMIT - 3)}…`);
    const emoji = slackEscape("🚀".repeat(SLACK_TEXT_LIMIT));
    expect(emoji.length).toBeLessThanOrEqual(SLACK_TEXT_LIMIT);
    expect(emoji.endsWith("🚀…")).toBe(true);
    expect(slackEscape("&".repeat(SLACK_TEXT_LIMIT))).toBe(`${"&amp;".repeat(599)}…`);
  });

  it("slack message: stays within Slack's limit with our link added", () => {
    const body = slackMessage("&".repeat(5000), {
      url: "https://moss.example.com/patrol",
      label: "Open the patrol page",
    });
    expect((body.text as string).length).toBeLessThanOrEqual(SLACK_TEXT_LIMIT);
    expect((body.text as string).endsWith("…\n<https://moss.example.com/patrol|Open the patrol page>")).toBe(true);
  });

  it("feishu: < and > become full-width, so no <at> tag forms", () => {
    expect(feishuEscape('<at user_id="all">all</at> a<b')).toBe(
      '\uFF1Cat user_id="all"\uFF1Eall\uFF1C/at\uFF1E a\uFF1Cb',
    );
  });

  it("feishu message: agent text only in text elements, one paragraph per line", () => {
    expect(feishuMessage("one\n<two>", null)).toEqual({
      msg_type: "post",
      content: {
        post: { zh_cn: { content: [[{ tag: "text", text: "one" }], [{ tag: "text", text: "\uFF1Ctwo\uFF1E" }]] } },
      },
    });
  });
});
