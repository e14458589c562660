export interface FileHash {
  file: string;
  integrity: string;
}
export declare const DIST: string;
export declare const README: string;
export declare const START: string;
export declare const END: string;
export declare function sri(bytes: Uint8Array): string;
export declare function revealPageHashes(distDir?: string): FileHash[];
export declare function renderTable(hashes: FileHash[]): string;
export declare function readmeHashes(readme?: string): FileHash[];
