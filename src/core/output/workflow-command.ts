// GitHub's workflow commands (`::error file=…::message`), escaped as the runner unescapes them.
import { escapeControls, inline } from './neutralize';

export type AnnotationCommand = 'error' | 'warning' | 'notice';

/** The message part: the runner decodes %25, %0D and %0A, so a message can hold any text, newlines included. */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: also `:` and `,`, which would otherwise end the value or the property list. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function workflowCommand(
  command: AnnotationCommand,
  properties: Record<string, string | number>,
  message: string,
): string {
  const list = Object.entries(properties)
    .map(([key, value]) => `${key}=${escapeProperty(inline(String(value)))}`)
    .join(',');
  return `::${command}${list ? ` ${list}` : ''}::${escapeData(escapeControls(message))}`;
}
