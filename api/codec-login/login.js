// Sign-in for the codec endpoint (see api/routes/codec.ts): the key goes once as a Bearer header, the cookie comes back.
const result = document.getElementById('result');
document.getElementById('endpoint').textContent = new URL('.', location.href).href.replace(/\/$/, '');

document.getElementById('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = document.getElementById('key').value.trim();
  const response = await fetch('session', { method: 'POST', headers: { authorization: `Bearer ${key}` } });
  const body = await response.json();
  document.getElementById('key').value = '';
  result.textContent = response.ok
    ? `Signed in as ${body.name} (${body.role}) until ${new Date(body.expiresAt).toLocaleString()}.`
    : body.error.message;
});

document.getElementById('sign-out').addEventListener('click', async () => {
  await fetch('session', { method: 'DELETE' });
  result.textContent = 'Signed out.';
});
