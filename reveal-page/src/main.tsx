// Entry point: mounts the page with the real browser environment.
import { render } from 'preact';
import { App } from './App.js';
import './style.css';

// Pasting the link into a tab that already shows this page (after a reveal
// the address is /s/{id} without the key) changes only the fragment: start over.
addEventListener('hashchange', () => location.reload());

const root = document.getElementById('app');
if (root) {
  render(
    <App
      env={{
        href: location.href,
        fetch: (input, init) => fetch(input, init),
        replaceUrl: (url) => history.replaceState(history.state, '', url),
        storage: (() => {
          try {
            return sessionStorage;
          } catch {
            return undefined;
          }
        })(),
        clipboard: navigator.clipboard,
      }}
    />,
    root,
  );
}
