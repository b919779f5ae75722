// The Worker's bindings are generated, not written by hand: `npm run types` runs `wrangler types`
// over wrangler.toml (vars, D1, Durable Objects, assets) and secrets.example.env (the secrets' names)
// into worker-configuration.d.ts, and `npm run typecheck` fails when that file is not current.
// What each binding is for: the comments in wrangler.toml and secrets.example.env.
type GeneratedEnv = Env;

export type { GeneratedEnv as Env };
