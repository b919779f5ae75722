import type { loginText } from "../en/login";
import type { TranslationOf } from "../index";

export default {
  login: {
    title: "登录",
    enterPassword: "请输入管理员密码。",
    setupDone: "初始化完成，请用刚才设置的密码登录。",
    passwordChanged: "密码已修改，请用新密码登录。",
    password: "管理员密码",
    loggingIn: "登录中…",
    logIn: "登录",
    forgot: "忘记密码？",
    forgotHelp:
      "没有重置链接。登录状态下可以在“设置 → 密码”里修改。如果密码已经丢失，需要由能访问该 Worker 的 D1 数据库的运维人员重置。",
  } satisfies TranslationOf<typeof loginText>,
};
