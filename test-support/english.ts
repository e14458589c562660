// A vitest setup file (setupFiles) for the UIs' tests: installs English, the
// source language, so the words a test expects (read through t() or the
// strings facades) are the words the page shows when it runs in English.
import { useLanguage } from '../i18n/src/testing.js';

useLanguage('en');
