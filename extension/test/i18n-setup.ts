// Every unit and end-to-end test of the extension reads the English catalogue
// (the built extension does too, through browser.i18n, when Chromium speaks English).
import { useLanguage } from '@psst/i18n/testing';

useLanguage('en');
