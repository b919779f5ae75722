// The login page's texts.
import { i18n } from "../index";

export const loginText = i18n("login", {
  title: "Log in",
  enterPassword: "Enter the admin password.",
  setupDone: "Setup is complete. Log in with the password you chose.",
  passwordChanged: "Password changed. Log in with the new one.",
  password: "Admin password",
  loggingIn: "Logging in…",
  logIn: "Log in",
  forgot: "Forgot the password?",
  forgotHelp:
    "There is no reset link. While logged in, change it under Settings → Password. If it is lost, an operator with access to the Worker's D1 database has to reset it.",
});
