/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The Worker's origin when the dashboard is hosted elsewhere (e.g. Cloudflare Pages); empty = same origin. */
  readonly VITE_API_BASE_URL?: string;
}
