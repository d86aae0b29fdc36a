import { detectForge, Forge } from '../../src/core/output/forge';

describe('detectForge', () => {
  it.each<[string, NodeJS.ProcessEnv, Forge]>([
    ['GitHub-hosted', { GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://github.com' }, 'github'],
    [
      'GitHub Enterprise Server',
      { GITHUB_ACTIONS: 'true', GITHUB_SERVER_URL: 'https://ghe.example.com' },
      'github',
    ],
    [
      'Gitea act_runner',
      {
        GITHUB_ACTIONS: 'true',
        GITEA_ACTIONS: 'true',
        GITEA_ACTIONS_RUNNER_VERSION: 'v0.2.11',
        GITHUB_SERVER_URL: 'https://gitea.example.com',
      },
      'gitea',
    ],
    [
      'forgejo-runner',
      {
        GITHUB_ACTIONS: 'true',
        GITEA_ACTIONS: 'true',
        FORGEJO_ACTIONS: 'true',
        GITHUB_SERVER_URL: 'https://codeberg.org',
      },
      'forgejo',
    ],
    ['an old forgejo-runner reads as Gitea', { GITHUB_ACTIONS: 'true', GITEA_ACTIONS: 'true' }, 'gitea'],
    ['nektos/act on a workstation', { GITHUB_ACTIONS: 'true', ACT: 'true' }, 'local'],
    ['a terminal', {}, 'local'],
    ['markers set to false', { GITHUB_ACTIONS: 'false', GITEA_ACTIONS: '0', FORGEJO_ACTIONS: '' }, 'local'],
  ])('%s -> %s', (_name, env, expected) => {
    expect(detectForge(env)).toBe(expected);
  });
});
