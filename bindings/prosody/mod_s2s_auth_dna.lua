-- mod_s2s_auth_dna: XMPP Domain Name Associations for Prosody's s2s.
--
-- Judges every s2s certificate that Prosody's own check (mod_s2s_auth_certs)
-- did not accept, with libxmppdna's RFC 7712 verdict: DANE on the SRV
-- targets, PKI with the names a DNSSEC-signed SRV delegation makes
-- acceptable (so a hosting provider's certificate is valid for its
-- customers' domains), and POSH. The lookups run on libxmppdna's worker
-- threads; the result comes back through a file descriptor that Prosody's
-- loop watches, so the server never blocks. See README.md beside this file.
module:set_global();

local xmppdna = require "xmppdna";
local async = require "util.async";
local server = require "net.server";

local resolvers = module:get_option_array("dna_resolvers", {});
local options = {
	servers = resolvers;
	trust_mode = module:get_option_string("dna_trust_mode", "validate");
	anchor_file = module:get_option_string("dna_trust_anchor_file");
	ca_file = module:get_option_string("dna_ca_file");
	ca_dir = module:get_option_string("dna_ca_dir");
	dns_timeout_ms = math.floor(module:get_option_number("dna_dns_timeout", 2) * 1000);
	posh_url_base = module:get_option_string("dna_posh_url_base");
	threads = module:get_option_number("dna_threads", 2);
};
local prooftypes = module:get_option_array("dna_prooftypes", { "dane", "pki", "posh" });
local diagnosis_interval = module:get_option_number("dna_diagnosis_interval", 300);

if #resolvers == 0 then
	module:log("error", "dna_resolvers is empty: give the DNS servers to ask (\"ADDR@PORT\"); /etc/resolv.conf is never read");
	return;
end

local ctx, err = xmppdna.context(options);
if not ctx then
	module:log("error", "Cannot configure libxmppdna: %s", err);
	return;
end
module:log("info", "libxmppdna %s (%s binding), prooftypes %s, resolvers %s", xmppdna.version(), xmppdna.backend,
	table.concat(prooftypes, ","), table.concat(resolvers, " "));

local watcher = server.watchfd(ctx:fd(), function () ctx:process(); end);

function module.unload()
	if watcher then watcher:close(); end
	ctx:close();
end

local function peer_chain(session)
	local socket = session.conn and session.conn:socket();
	local chain = socket and socket.getpeerchain and socket:getpeerchain();
	if not chain or #chain == 0 then return nil; end
	local pems = {};
	for i, cert in ipairs(chain) do pems[i] = cert:pem(); end
	return table.concat(pems);
end

local function reasons(verdict)
	local parts = {};
	for _, attempt in ipairs(verdict.attempts) do
		parts[#parts + 1] = attempt.prooftype .. ": " .. attempt.outcome .. " (" .. attempt.reason .. ")";
	end
	return table.concat(parts, "; ");
end

-- After mod_s2s_auth_certs (509), before mod_s2s enforces s2s_secure_auth (-1).
module:hook("s2s-check-certificate", function (event)
	local session, host = event.session, event.host;
	if not host or (session.cert_chain_status == "valid" and session.cert_identity_status == "valid") then
		return;
	end
	local log = session.log or module._log;
	local chain = peer_chain(session);
	if not chain then
		log("debug", "xmppdna: no certificate chain from %s to judge", host);
		return;
	end
	if not async.ready() then
		log("warn", "xmppdna: cannot wait for the verdict on %s outside an async runner", host);
		return;
	end
	local direction = session.direction == "outgoing" and "outbound" or "inbound";
	local wait, done = async.waiter();
	local verdict, problem;
	local id, submit_error = ctx:verify_async(chain, host, { direction = direction, prooftypes = prooftypes },
		function (result, failure)
			verdict, problem = result, failure;
			done();
		end);
	if not id then
		log("warn", "xmppdna: cannot judge %s: %s", host, submit_error);
		return;
	end
	wait();
	if not verdict then
		log("warn", "xmppdna: no verdict on %s: %s", host, problem);
	elseif verdict.accepted then
		session.cert_chain_status = "valid";
		session.cert_identity_status = "valid";
		log("info", "xmppdna: %s %s proven by %s: %s", direction, host, verdict.prooftype, verdict.summary);
	else
		log("warn", "xmppdna: %s %s not proven: %s", direction, host, reasons(verdict));
	end
end, 100);

-- Operators' diagnosis: the delegation status of each remote domain, once
-- per interval, in the log before any connection attempt.
local diagnosed = {};

function module.add_host(host_module)
	host_module:hook("route/remote", function (event)
		local domain = event.to_host;
		local now = os.time();
		if not domain or (diagnosed[domain] or 0) > now then return; end
		diagnosed[domain] = now + diagnosis_interval;
		ctx:names_async(domain, "xmpp-server", function (names, failure)
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
