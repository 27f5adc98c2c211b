-- mod_s2s_auth_dna: XMPP Domain Name Associations for Prosody's s2s.
--
-- Judges s2s certificates with libxmppdna's RFC 7712 verdict: DANE on the
-- SRV targets, PKI with the names a DNSSEC-signed SRV delegation makes
-- acceptable (so a hosting provider's certificate is valid for its
-- customers' domains), and POSH. A certificate Prosody's own check
-- (mod_s2s_auth_certs) did not accept gets the full verdict; one it did
-- accept is still vetoed by DANE (RFC 7673), or gets the full verdict too
-- with s2s_auth_dna_always. The lookups run on libxmppdna's own
-- threads; the result comes back through a file descriptor that Prosody's
-- loop watches, so the server never blocks. See README.md beside this file.
module:set_global();

-- With installer_plugin_path, Prosody 0.12 adds its share/lua to package.path
-- but never its lib/lua to package.cpath (util.paths tests package.path twice).
local installer = prosody.paths.installer;
if installer then
	local lib = installer .. "/lib/lua/" .. _VERSION:match("%d+%.%d+") .. "/?.so";
	if not package.cpath:find(lib, 1, true) then package.cpath = package.cpath .. ";" .. lib; end
end

-- A module that cannot work fails closed (see cannot_judge below): a
-- binding that does not load is no reason to let every certificate through.
local loaded, xmppdna = pcall(require, "xmppdna");
local setup_error;
if not loaded then setup_error, xmppdna = "cannot load the xmppdna binding: " .. tostring(xmppdna), nil; end
local async = require "util.async";
local server = require "net.server";
local certmanager = require "core.certmanager";
local rawgetopt = require "core.configmanager".rawget;

local resolvers = module:get_option_array("dna_resolvers", {});
local options = {
	servers = resolvers;
	trust_mode = module:get_option_string("dna_trust_mode", "validate");
	anchor_file = module:get_option_string("dna_trust_anchor_file");
	dns_timeout_ms = math.floor(module:get_option_number("dna_dns_timeout", 2) * 1000);
	dns_deadline_ms = math.floor(module:get_option_number("dna_lookup_deadline", 30) * 1000);
	posh_url_base = module:get_option_string("dna_posh_url_base");
};
local ca_file, ca_dir = module:get_option_string("dna_ca_file"), module:get_option_string("dna_ca_dir");
local prooftypes = module:get_option_array("dna_prooftypes", { "dane", "pki", "posh" });
local always = module:get_option_boolean("s2s_auth_dna_always", false);
local diagnosis_interval = module:get_option_number("dna_diagnosis_interval", 300);
local F = xmppdna and xmppdna.FINDING or {};

if not setup_error and #resolvers == 0 then
	setup_error = "dna_resolvers is empty: give the DNS servers to ask (\"ADDR@PORT\"); /etc/resolv.conf is never read";
end

-- A context's CA store is fixed when it is made, so one context per store.
local contexts, watchers = {}, {};
local function context(cafile, capath)
	local key = (cafile or "") .. "\0" .. (capath or "");
	if contexts[key] then return contexts[key]; end
	options.ca_file, options.ca_dir = cafile, capath;
	local ctx, err = xmppdna.context(options);
	if not ctx then return nil, err; end
	contexts[key] = ctx;
	watchers[#watchers + 1] = server.watchfd(ctx:fd(), function () ctx:process(); end);
	return ctx;
end

local diagnosis_ctx;
if not setup_error then
	local err;
	diagnosis_ctx, err = context(ca_file, ca_dir);
	if not diagnosis_ctx then setup_error = "cannot configure libxmppdna: " .. tostring(err); end
end
if setup_error then
	module:log("error", "xmppdna: %s; every certificate this module would judge is refused", setup_error);
else
	module:log("info", "libxmppdna %s (%s binding), prooftypes %s, resolvers %s%s", xmppdna.version(), xmppdna.backend,
		table.concat(prooftypes, ","), table.concat(resolvers, " "), always and ", every verdict applied" or "");
end

function module.unload()
	for _, watcher in ipairs(watchers) do watcher:close(); end
	for _, ctx in pairs(contexts) do ctx:close(); end
end

-- The CA store Prosody checked this session's chain with: mod_tls's s2s
-- settings (session.ssl_cfg); a direct TLS session has none, so the host's
-- s2s settings are read the way mod_tls reads them.
local host_stores = {};
local function ca_store(session)
	if ca_file or ca_dir then return ca_file, ca_dir; end
	local cfg = session.ssl_cfg;
	if not cfg then
		local host = session.direction == "outgoing" and session.from_host or session.to_host or "*";
		if not host_stores[host] then
			local _, _, host_cfg = certmanager.create_context(host, "client", rawgetopt(host, "s2s_ssl"),
				rawgetopt(host, "ssl"), rawgetopt("*", "s2s_ssl"));
			host_stores[host] = host_cfg or {};
		end
		cfg = host_stores[host];
	end
	return cfg.cafile, cfg.capath;
end

local function peer_chain(session)
	local socket = session.conn and session.conn:socket();
	local chain = socket and socket.getpeerchain and socket:getpeerchain();
	if not chain or #chain == 0 then return nil; end
	local pems = {};
	for i, cert in ipairs(chain) do pems[i] = cert:pem(); end
	return table.concat(pems);
end

-- The finding tags of an attempt, "tlsa_mismatch,..." (the number for a
-- code newer than the binding's header).
local function tags(attempt)
	local list = {};
	for _, finding in ipairs(attempt and attempt.findings or {}) do list[#list + 1] = finding.tag or tostring(finding.code); end
	return table.concat(list, ",");
end

local function reasons(verdict)
	local parts = {};
	for _, attempt in ipairs(verdict.attempts) do
		parts[#parts + 1] = ("%s: %s (%s) [%s]"):format(attempt.prooftype, attempt.outcome, attempt.reason or "", tags(attempt));
	end
	return table.concat(parts, "; ");
end

local function attempt_of(verdict, prooftype)
	for _, attempt in ipairs(verdict.attempts) do
		if attempt.prooftype == prooftype then return attempt; end
	end
end

-- What the peer is told when DANE rejects, from the finding that says why.
local function dane_refusal(attempt)
	if xmppdna.finding(attempt, F.TLSA_BOGUS) then return "has TLSA records that fail DNSSEC validation"; end
	if xmppdna.finding(attempt, F.TLSA_INDETERMINATE) then return "could not be checked: its TLSA records did not resolve"; end
	if xmppdna.finding(attempt, F.DANE_CHAIN_INVALID) then return "chain does not verify for its TLSA trust anchor"; end
	if xmppdna.finding(attempt, F.DANE_NAME_MISMATCH) then return "does not name the domain its TLSA trust anchor vouches for"; end
	return "does not match its TLSA records";
end

local has_dane = false;
for _, prooftype in ipairs(prooftypes) do has_dane = has_dane or prooftype == "dane"; end

local function close_for_dane(session, text)
	-- RFC 7673 leaves no fallback, not even dialback when s2s_secure_auth is off.
	session:close({ condition = "not-authorized", text = "Your server's certificate " .. text },
		nil, "Remote server's certificate " .. text);
	return false;
end

-- Fail closed: whatever went wrong, the certificate is not proven by this
-- module, and Prosody's own acceptance does not stand either. When DANE
-- was to be checked, its veto cannot be ruled out, so the connection is
-- closed as a DANE rejection would close it (as libxmppdna keeps the veto
-- when the TLSA lookup has no answer).
local function cannot_judge(session, host, why)
	local log = session.log or module._log;
	session.cert_identity_status = "invalid";
	log("warn", "xmppdna: cannot judge %s, refused: %s", host, tostring(why));
	if has_dane then return close_for_dane(session, "could not be checked against its TLSA records"); end
end

local function judge(event, prosody_accepted)
	local session, host = event.session, event.host;
	local log = session.log or module._log;
	if setup_error then return cannot_judge(session, host, setup_error); end
	local chain = peer_chain(session);
	if not chain then
		if prosody_accepted then return cannot_judge(session, host, "the accepted certificate chain cannot be read"); end
		log("debug", "xmppdna: no certificate chain from %s to judge", host);
		return;
	end
	if not async.ready() then
		return cannot_judge(session, host, "not inside an async runner, so the verdict cannot be awaited");
	end
	local ctx, err = context(ca_store(session));
	if not ctx then return cannot_judge(session, host, err); end
	local direction = session.direction == "outgoing" and "outbound" or "inbound";
	-- What Prosody accepted only DANE can overturn, and DANE decides alone
	-- when it applies: a DANE-only verdict is the full verdict then.
	local veto_only = prosody_accepted and not always;
	local wait, done = async.waiter();
	local verdict, problem, code;
	local id, submit_error = ctx:verify_async(chain, host,
		{ direction = direction, prooftypes = veto_only and { "dane" } or prooftypes },
		function (result, failure, failure_code)
			verdict, problem, code = result, failure, failure_code;
			done();
		end);
	if not id then return cannot_judge(session, host, submit_error); end
	wait();
	if not verdict then return cannot_judge(session, host, ("no verdict: %s (%s)"):format(tostring(problem), tostring(code))); end
	local dane = attempt_of(verdict, "dane");
	local dane_outcome = dane and dane.outcome;
	if veto_only and dane_outcome == "not_applicable" then
		log("debug", "xmppdna: %s %s: no secure TLSA, Prosody's acceptance stands [%s]", direction, host, tags(dane));
	elseif verdict.accepted then
		session.cert_chain_status = "valid";
		session.cert_identity_status = "valid";
		local decisive = attempt_of(verdict, verdict.prooftype);
		log("info", "xmppdna: %s %s proven by %s: %s [%s]", direction, host, verdict.prooftype,
			decisive and decisive.reason or verdict.summary or "", tags(decisive));
	else
		session.cert_identity_status = "invalid";
		local overrides = not prosody_accepted and ""
			or dane_outcome == "rejected" and " (DANE vetoes Prosody's PKI acceptance)" or " (overrides Prosody's PKI acceptance)";
		-- Prosody's own refusal says only "not valid for this name": this line says why.
		log("warn", "xmppdna: %s %s not proven%s: %s", direction, host, overrides, reasons(verdict));
		if dane_outcome == "rejected" then return close_for_dane(session, dane_refusal(dane)); end
	end
end

-- After mod_s2s_auth_certs (509), before mod_s2s enforces s2s_secure_auth (-1).
module:hook("s2s-check-certificate", function (event)
	local session, host = event.session, event.host;
	if not host then return; end
	local prosody_accepted = session.cert_chain_status == "valid" and session.cert_identity_status == "valid";
	if prosody_accepted and not always and not has_dane then return; end
	-- pcall yields across in Lua 5.4 and LuaJIT, so the async wait works inside it.
	local ok, result = pcall(judge, event, prosody_accepted);
	if not ok then return cannot_judge(session, host, result); end
	return result;
end, 100);

-- Operators' diagnosis: the delegation status of each remote domain, once
-- per interval, in the log before any connection attempt.
local diagnosed = {};

function module.add_host(host_module)
	host_module:hook("route/remote", function (event)
		local domain = event.to_host;
		local now = os.time();
		if not diagnosis_ctx or not domain or (diagnosed[domain] or 0) > now then return; end
		diagnosed[domain] = now + diagnosis_interval;
		diagnosis_ctx:names_async(domain, "xmpp-server", function (names, failure)
			if not names then
				module:log("warn", "xmppdna: cannot look up the delegation of %s: %s", domain, failure);
				return;
			end
			local acceptable = {};
			for _, entry in ipairs(names.acceptable_names) do acceptable[#acceptable + 1] = entry.name; end
			local level = (names.status == "secure") and "info" or "warn";
			module:log(level, "xmppdna: delegation of %s is %s%s; acceptable names: %s", domain, names.status,
				names.reason and (" (" .. names.reason .. ")") or "", table.concat(acceptable, ", "));
		end);
	end, 200);
end
