// The few parts of markdown-it (a dependency of typedoc, hoisted) that the docs build uses;
// @types/markdown-it is not installed.
declare module 'markdown-it' {
  export interface Token {
    type: string;
    tag: string;
    content: string;
    children: Token[] | null;
    attrGet(name: string): string | null;
    attrSet(name: string, value: string): void;
  }
  export interface StateCore {
    tokens: Token[];
  }
  export default class MarkdownIt {
    constructor(options?: { html?: boolean; linkify?: boolean; typographer?: boolean });
    core: { ruler: { push(name: string, rule: (state: StateCore) => void): void } };
    parse(source: string, env: object): Token[];
    render(source: string): string;
    renderInline(source: string): string;
  }
}
