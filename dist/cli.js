#!/usr/bin/env node
import { createRequire as __bxgCreateRequire } from 'node:module';
import { fileURLToPath as __bxgFileURLToPath } from 'node:url';
const require = __bxgCreateRequire(import.meta.url);
const __bxgFilename = __bxgFileURLToPath(import.meta.url);
const __bxgDirname = __bxgFileURLToPath(new URL('.', import.meta.url)).replace(/\/$/, '');
import{b as u,c as l}from"./chunk-A656VSPA.js";import"./chunk-MLRWK25M.js";import"./chunk-H4C4JXQA.js";import{c as p}from"./chunk-5MWTWW5I.js";import{a as r,e as t,f as d,h as s}from"./chunk-4PMYIXEQ.js";var g={build:r(async(e,o)=>(await import("./mode-RBG3IPPF.js")).buildCommand(e,o),"build"),verify:r(async(e,o)=>(await import("./mode-FQVUJMZH.js")).verifyCommand(e,o),"verify"),lint:r(async(e,o)=>(await import("./mode-J2N4VFMO.js")).lintCommand(e,o),"lint"),audit:r(async(e,o)=>(await import("./mode-OUS6TDHW.js")).auditCommand(e,o),"audit"),repair:r(async(e,o)=>(await import("./mode-6Q3AD2NA.js")).repairCommand(e,o),"repair")},m=`Usage: buildx-guard <command> [options]

Commands:
  build [guard options] -- <buildx build args>   run docker buildx build with the attestation policy, then verify the push
  verify [options] REF...                        check what a registry serves under image references
  lint [options] [PATH...]                       check workflow files for builds that will push attestation indexes
                                                 (lint - reads one workflow from standard input)
  audit [options] REPOSITORY...                  verify every tag, total attestation bloat and dangling indexes, write the keep-set
  repair strip-attestations|heal [options] REF...  re-point a tag to its image, or heal a dangling index from a source

Options:
  -h, --help       show help (also: buildx-guard <command> --help)
  -v, --version    print the version

Exit codes: 0 ok, 1 a violation or finding, 2 could not check (usage, network, auth).
`;async function f(e){let[o,...h]=e;if(o===void 0)return process.stderr.write(m),t.cannotCheck;if(o==="-h"||o==="--help"||o==="help")return process.stdout.write(m),t.ok;if(o==="-v"||o==="--version")return process.stdout.write(`${l}
`),t.ok;let i={log:u({verbose:!!process.env.BUILDX_GUARD_DEBUG}),stdout:r(n=>process.stdout.write(n),"stdout"),color:!!process.stdout.isTTY&&!process.env.NO_COLOR,cwd:process.cwd()},c=g[o];if(!c)return i.log.error(new d("command",o,"Use build, verify, lint, audit or repair (see buildx-guard --help).").message),t.cannotCheck;try{return await c(h,i)}catch(n){return i.log.error(s(n)),t.cannotCheck}}r(f,"main");function a(e){process.stderr.write(`error: ${p(s(e))}
`),process.exit(t.cannotCheck)}r(a,"crash");process.on("uncaughtException",a);process.on("unhandledRejection",a);f(process.argv.slice(2)).then(e=>{process.exitCode=e},a);
