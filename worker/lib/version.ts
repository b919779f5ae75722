// The one version string: package.json's, in /api/health, both OpenAPI documents and MCP serverInfo
// (the CLI prints it too; its CLI_VERSION is the update protocol's number, a separate thing).
import { version } from "../../package.json";

export const PACKAGE_VERSION: string = version;
