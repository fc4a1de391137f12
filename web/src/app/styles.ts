// Mantine's stylesheets first, then ours so it can adjust them.
import '@mantine/core/styles.css';
import '@mantine/dates/styles.css';
import './app.css';
