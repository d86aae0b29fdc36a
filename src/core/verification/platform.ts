// Platforms as os/arch[/variant], compared the way containerd normalises them (linux/arm64/v8 = linux/arm64).
import { isObject } from '../registry/json';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

const PLATFORM_TEXT = /^[a-z0-9._-]+\/[a-z0-9._-]+(?:\/[a-z0-9._-]+)?$/i;

export function isPlatformText(text: string): boolean {
  return PLATFORM_TEXT.test(text);
}

/** A descriptor's or config's platform fields; undefined when they are not there. */
export function readPlatform(value: unknown): Platform | undefined {
  const source = isObject(value) ? value : undefined;
  if (typeof source?.os !== 'string' || typeof source.architecture !== 'string') return undefined;
  return {
    os: source.os,
    architecture: source.architecture,
    ...(typeof source.variant === 'string' && source.variant ? { variant: source.variant } : {}),
  };
}

export function formatPlatform(platform: Platform | undefined): string {
  if (!platform) return '';
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

const ARCH_ALIASES: Record<string, string> = {
  x86_64: 'amd64',
  'x86-64': 'amd64',
  aarch64: 'arm64',
  i386: '386',
  armhf: 'arm',
  armel: 'arm',
};
/** Variants that are the architecture's default and so mean the same as no variant. */
const DEFAULT_VARIANT: Record<string, string> = { amd64: 'v1', arm64: 'v8', arm: 'v7' };

/** `linux/aarch64/v8` -> `linux/arm64`; `linux/arm` -> `linux/arm/v7`; lower case throughout. */
export function normalizePlatform(text: string): string {
  const [os, rawArch, rawVariant] = text.toLowerCase().split('/');
  const architecture = ARCH_ALIASES[rawArch] ?? rawArch;
  let variant = rawVariant ?? (rawArch === 'armel' ? 'v6' : '');
  if (/^\d+$/.test(variant)) variant = `v${variant}`;
  if (architecture === 'arm' && variant === '') variant = DEFAULT_VARIANT.arm;
  if (architecture !== 'arm' && variant === DEFAULT_VARIANT[architecture]) variant = '';
  return [os, architecture, variant].filter(Boolean).join('/');
}
