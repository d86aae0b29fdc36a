// The engine support's guards: nothing a test runs on the real engine may make it pull.
import { assertNoPull, assertScratchOnly, scratchContext } from '../support/engine';

describe('assertNoPull', () => {
  it.each([
    [['pull', 'alpine']],
    [['buildx', 'build', '--pull', '.']],
    [['buildx', 'build', '--sbom=true', '.']],
    [['buildx', 'build', '--sbom', 'true', '.']],
    [['buildx', 'build', '--attest', 'type=sbom', '.']],
    [['buildx', 'build', '--attest=type=sbom,generator=x', '.']],
  ])('refuses %j', (args) => {
    expect(() => assertNoPull(args)).toThrow(/would make the engine pull/);
  });

  it.each([
    [['buildx', 'build', '--sbom=false', '.']],
    [['buildx', 'build', '--sbom', 'false', '.']],
    [['buildx', 'build', '--attest', 'type=provenance,mode=max', '.']],
    [['buildx', 'imagetools', 'inspect', '127.0.0.1:5000/a:1']],
  ])('allows %j', (args) => {
    expect(() => assertNoPull(args)).not.toThrow();
  });
});

describe('assertScratchOnly', () => {
  it.each([
    'FROM alpine\n',
    'FROM scratch AS a\nFROM --platform=linux/arm64 busybox\n',
    'FROM ${BASE}\n',
    'from docker.io/library/debian:12\n',
  ])('refuses %j', (dockerfile) => {
    expect(() => assertScratchOnly(dockerfile)).toThrow(/would make the engine pull/);
  });

  it.each([
    ['FROM scratch\nCOPY . /\n', []],
    ['FROM scratch AS base\nFROM base\n', []],
    ['FROM --platform=$BUILDPLATFORM scratch AS Base\nfrom base\n', []],
    ['FROM 127.0.0.1:5000/a/b:1\n', []],
    ['FROM extra\n', ['extra']],
  ])('allows %j', (dockerfile, contexts) => {
    expect(() => assertScratchOnly(dockerfile, contexts)).not.toThrow();
  });

  it('checks every Dockerfile a context holds, not only the default one', () => {
    expect(() => scratchContext({ 'sub/Dockerfile': 'FROM alpine\n' })).toThrow(/FROM alpine/);
    expect(() => scratchContext({ 'app.Dockerfile': 'FROM alpine\n' })).toThrow(/FROM alpine/);
  });
});
