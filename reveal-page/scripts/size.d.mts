export declare const BUDGET_BYTES: number;
/** What a budget counts, per language: all the page may load, or what it loads before it shows anything. */
export type BudgetCounts = 'total' | 'firstLoad';
export declare const PAGES: Record<'reveal' | 'composer', { html: string; budgetBytes: number; budgetCounts: BudgetCounts }>;
export interface FileSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}
export interface LanguageSize {
  lang: string;
  /** HTML, JS and CSS loaded at once, and this language's catalogue. */
  firstLoadGzipBytes: number;
  /** With every lazy chunk too: all the page may load in this language. */
  totalGzipBytes: number;
  totalBytes: number;
  /** The figure the page's budget counts is within it. */
  withinBudget: boolean;
  catalogue: FileSize;
}
export interface PageSize {
  page: 'reveal' | 'composer';
  /** The heaviest language's weight: all the page may load (HTML, JS, CSS, lazy chunks) plus its catalogue. */
  totalGzipBytes: number;
  /** The heaviest language's first load: HTML, JS and CSS loaded at once, plus its catalogue. */
  firstLoadGzipBytes: number;
  totalBytes: number;
  largestLanguage: string;
  budgetBytes: number;
  budgetCounts: BudgetCounts;
  withinBudget: boolean;
  /** The HTML, JS and CSS loaded at once, the same in every language. */
  codeGzipBytes: number;
  /** Chunks only a dynamic import() reaches, loaded when needed. */
  lazyGzipBytes: number;
  files: FileSize[];
  lazy: FileSize[];
  languages: LanguageSize[];
}
export declare function measurePage(distDir?: string, page?: 'reveal' | 'composer'): PageSize;
export declare function measureProtocol(): Promise<{ modules: string[]; bytes: number; gzipBytes: number }>;
/** What a page loads at once (`initial`: its HTML, what that references and their static imports) and later (`lazy`). */
export declare function filesOfPage(distDir: string, html: string): { initial: string[]; lazy: string[] };
/** The page's catalogue file of each language, by language code (paths relative to `distDir`). */
export declare function catalogueFiles(distDir: string, page: 'reveal' | 'composer'): Record<string, string>;
