// Entry point: mounts the page with the real browser environment.
import { render } from 'preact';
import { App } from './App.js';
import './style.css';

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
