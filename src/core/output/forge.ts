// Which forge runs this step: annotations and job summaries only exist on GitHub.
//
// How the runners say who they are:
// - GitHub's runner sets GITHUB_ACTIONS=true.
// - Gitea's act_runner sets GITEA_ACTIONS=true (and GITHUB_ACTIONS=true, since it runs GitHub-style workflows).
// - forgejo-runner sets FORGEJO_ACTIONS=true and also GITEA_ACTIONS=true (older releases only the latter, so
//   they read as Gitea, which renders logs the same way).
// - nektos/act, on a workstation, sets ACT=true beside GITHUB_ACTIONS=true.
// GITHUB_SERVER_URL does not help: act_runner and forgejo-runner set it to the forge's own address, which
// looks no different from a GitHub Enterprise Server URL.

export type Forge = 'github' | 'gitea' | 'forgejo' | 'local';

export function detectForge(env: NodeJS.ProcessEnv = process.env): Forge {
  if (isSet(env.FORGEJO_ACTIONS)) return 'forgejo';
  if (isSet(env.GITEA_ACTIONS)) return 'gitea';
  if (isSet(env.GITHUB_ACTIONS) && !isSet(env.ACT)) return 'github';
  return 'local';
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && !/^(|false|0)$/i.test(value.trim());
}
