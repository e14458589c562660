// Defined by vite.config.ts (pageCatalogues): the folder of each page's catalogues, "/assets/i18n-<page>-<hash>/".
declare const __PSST_REVEAL_CATALOGUES__: string;
declare const __PSST_COMPOSER_CATALOGUES__: string;
