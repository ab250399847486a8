import { mount } from 'svelte';
import './app.css';
// Applies the display preferences to the root before the first paint.
import './lib/preferences.svelte.js';
import App from './App.svelte';

mount(App, { target: document.getElementById('app')! });
