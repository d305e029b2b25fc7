// A real OpenID Connect provider (panva/oidc-provider, OpenID-certified) standing in for
// Pro Santé Connect in the tests: authorization code + PKCE, acr "eidas1", the PSC claims
// (SubjectNameID = "8" + RPPS, SubjectRefPro, given_name, family_name) under the scope
// "scope_all". Listens on 127.0.0.1 only. The interaction (card / e-CPS) is automatic:
// GET /interaction/<uid>?account=<sub> signs that account in.
import http from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const accounts = JSON.parse(process.env.ACCOUNTS || '{}');

const provider = new Provider(issuer, {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: [process.env.REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
  }],
  pkce: { required: () => true },
  acrValues: ['eidas1'],
  scopes: ['openid', 'scope_all'],
  claims: {
    openid: ['sub'],
    scope_all: ['SubjectNameID', 'preferred_username', 'given_name', 'family_name', 'SubjectRefPro'],
  },
  ttl: { IdToken: Number(process.env.ID_TOKEN_TTL || 60), AccessToken: 300, AuthorizationCode: 60, Interaction: 300, Session: 600, Grant: 600 },
  cookies: { keys: ['binome-test-cookie-key'] },
  features: { devInteractions: { enabled: false } },
  findAccount: async (ctx, id) => (accounts[id] ? { accountId: id, claims: async () => ({ sub: id, ...accounts[id] }) } : undefined),
});
provider.proxy = false;

const callback = provider.callback();

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, issuer);
  if (!url.pathname.startsWith('/interaction/')) return callback(req, res);
  try {
    const details = await provider.interactionDetails(req, res);
    const { prompt, params, session } = details;
    if (prompt.name === 'login') {
      const accountId = url.searchParams.get('account');
      if (!accounts[accountId]) { res.statusCode = 400; return res.end('unknown account'); }
      return await provider.interactionFinished(req, res, { login: { accountId, acr: 'eidas1' } }, { mergeWithLastSubmission: false });
    }
    const grant = new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    grant.addOIDCScope(params.scope);
    const grantId = await grant.save();
    return await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  } catch (err) {
    res.statusCode = 500;
    res.end(String(err));
  }
});

server.listen(port, '127.0.0.1', () => { process.stdout.write(`ready ${issuer}\n`); });
