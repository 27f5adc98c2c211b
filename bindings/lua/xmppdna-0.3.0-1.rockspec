-- LuaRocks: the Lua 5.4 binding and Prosody's mod_s2s_auth_dna, built
-- against an installed libxmppdna (XMPPDNA_DIR, or the usual prefixes).
-- From a release tarball or checkout, at its top:
--   luarocks --lua-version 5.4 make bindings/lua/xmppdna-0.3.0-1.rockspec XMPPDNA_DIR=/usr/local
rockspec_format = "3.0"
package = "xmppdna"
version = "0.3.0-1"
source = {
   -- The tarball `make dist` writes; set the published address when releases have one.
   url = "file://xmppdna-0.3.0.tar.gz",
   dir = "xmppdna-0.3.0",
}
description = {
   summary = "XMPP Domain Name Associations (DNSSEC delegation, DANE, PKI, POSH) for Lua 5.4 and Prosody",
   detailed = [[
Tells an XMPP server which names a peer domain's certificate may carry
(DNSSEC-validated SRV delegation, RFC 7673) and whether a certificate
proves the domain (the RFC 7712 prooftypes: DANE, PKI with RFC 9525
matching, POSH, dialback), through libxmppdna. Includes mod_s2s_auth_dna
for Prosody 0.12.
]],
   license = "Apache-2.0",
   labels = { "xmpp", "prosody", "dnssec", "dane", "tls" },
}
dependencies = { "lua == 5.4" }
external_dependencies = {
   XMPPDNA = { header = "xmppdna.h", library = "xmppdna" },
}
build = {
   type = "builtin",
   modules = {
      ["xmppdna"] = "bindings/lua/xmppdna/init.lua",
      ["xmppdna.ffi_core"] = "bindings/lua/xmppdna/ffi_core.lua",
      ["xmppdna.core"] = {
         sources = { "bindings/lua/xmppdna/core.c" },
         libraries = { "xmppdna" },
         incdirs = { "$(XMPPDNA_INCDIR)" },
         libdirs = { "$(XMPPDNA_LIBDIR)" },
      },
      -- Where Prosody looks with installer_plugin_path set to the rocks tree.
      ["mod_s2s_auth_dna.mod_s2s_auth_dna"] = "bindings/prosody/mod_s2s_auth_dna.lua",
   },
}
