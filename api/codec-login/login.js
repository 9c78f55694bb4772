// Sign-in for the codec endpoint (see api/routes/codec.ts): the key goes once to POST /api/session, which starts a
// sign-in session; the browser keeps only the session's HttpOnly cookie, never the key.
const result = document.getElementById('result');
const endpoint = new URL('.', location.href).href.replace(/\/$/, '');
const sessionUrl = new URL('../session', location.href).href;
document.getElementById('endpoint').textContent = endpoint;

const until = (session) => new Date(session.idleExpiresAt).toLocaleString();
function describe(body) {
  const who = `${body.name} (${body.role})`;
  if (!body.permissions.includes('payloads.decode')) {
    return `Signed in as ${who}: this role may not see customer data in the Temporal UI. Sign in with a manager's key.`;
  }
  return `Signed in as ${who} until ${until(body.session)} without use, ${new Date(body.session.expiresAt).toLocaleString()} at the latest.`;
}

async function current() {
  const response = await fetch(sessionUrl);
  return response.ok ? response.json() : undefined;
}

current().then((body) => {
  if (body?.session) result.textContent = describe(body);
});

document.getElementById('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = document.getElementById('key').value.trim();
  const response = await fetch(sessionUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key }),
  });
  const body = await response.json();
  document.getElementById('key').value = '';
  result.textContent = response.ok ? describe(body) : body.error.message;
});

document.getElementById('sign-out').addEventListener('click', async () => {
  const body = await current();
  if (body?.session) {
    await fetch(sessionUrl, { method: 'DELETE', headers: { 'x-csrf-token': body.session.csrfToken } });
  }
  result.textContent = 'Signed out.';
});
