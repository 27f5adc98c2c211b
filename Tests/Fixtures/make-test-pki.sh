#!/usr/bin/env bash
# Makes a real test PKI with the openssl CLI: a root, an intermediate, and
# one leaf per identifier case (see README.md beside this file).
#   make-test-pki.sh OUTDIR          create (OUTDIR is replaced)
#   make-test-pki.sh --check OUTDIR  create, then prove each leaf is what it claims
# Normal validity is 2025-01-01..2035-01-01; tests pin 2030-01-01 (1893456000).
set -euo pipefail

check=0
if [ "${1:-}" = --check ]; then check=1; shift; fi
out=${1:?usage: make-test-pki.sh [--check] OUTDIR}
rm -rf "$out"
mkdir -p "$out"
cd "$out"

start=20250101000000Z
end=20350101000000Z

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }

# A minimal CA directory for `openssl ca`, which lets us set exact dates.
ca_dir() { # name
  mkdir -p "ca-$1"
  : > "ca-$1/index.txt"
  echo 1000 > "ca-$1/serial"
  cat > "ca-$1/ca.conf" <<EOF
[ ca ]
default_ca = this
[ this ]
dir = ca-$1
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[ anything ]
commonName = optional
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
EOF
}

# sign CA-NAME CSR-SUBJECT-KEY OUT EXTFILE SECTION [START END]
sign() {
  local ca=$1 name=$2 ext=$3 section=$4 from=${5:-$start} to=${6:-$end}
  openssl ca -batch -notext -config "ca-$ca/ca.conf" -cert "$ca.pem" -keyfile "$ca.key" \
    -in "$name.csr" -out "$name.pem" -extfile "$ext" -extensions "$section" \
    -startdate "$from" -enddate "$to" 2>/dev/null
}

csr() { # name subject
  key "$1"
  openssl req -new -key "$1.key" -subj "$2" -out "$1.csr" 2>/dev/null
}

cat > ext.conf <<'EOF'
[ root ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ inter ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ leaf_base ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
[ full ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = @full_san
[ full_san ]
DNS.1 = example.com
DNS.2 = *.muc.example.com
otherName.1 = 1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-server.example.com
otherName.2 = 1.3.6.1.5.5.7.8.5;UTF8:example.com
IP.1 = 192.0.2.1
IP.2 = 2001:db8::1
[ host1 ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:host1.example.net
[ wildcard ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:*.example.org
[ srv-server ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-server.example.com
[ srv-client ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-client.example.com
[ xmppaddr ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = otherName:1.3.6.1.5.5.7.8.5;UTF8:example.com
[ ip ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = IP:192.0.2.1, IP:2001:db8::1
[ cn-only ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
[ idn ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = @idn_san
[ idn_san ]
DNS.1 = xn--bcher-kva.example
# FORMAT:UTF8 keeps openssl from re-encoding the UTF-8 bytes as Latin-1.
otherName.1 = 1.3.6.1.5.5.7.8.5;FORMAT:UTF8,UTF8:bücher.example
[ partial-wildcard ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:f*.example.com
[ nul ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
# GeneralNames { dNSName "example.com\0.evil.test" }, as raw DER.
subjectAltName = DER:301882166578616d706c652e636f6d002e6576696c2e74657374
[ plain ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:example.com
[ client-eku ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:example.com
[ codesign-eku ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectAltName = DNS:example.com
[ no-eku ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
subjectAltName = DNS:example.com
[ web-hosting ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:hosting.example.net, IP:127.0.0.1, IP:::1
[ web-insecure ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:insecure.example
[ xmpp-b ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:b.example.net, otherName:1.3.6.1.5.5.7.8.5;UTF8:b.example.net
[ self-signed ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:example.com
EOF

# Roots are self-signed; `openssl ca -selfsign` gives them exact dates too.
make_root() { # name cn
  ca_dir "$1"
  csr "$1" "/CN=$2"
  openssl ca -batch -notext -selfsign -config "ca-$1/ca.conf" -keyfile "$1.key" -in "$1.csr" -out "$1.pem" \
    -extfile ext.conf -extensions root -startdate 20240101000000Z -enddate 20450101000000Z 2>/dev/null
}
make_root root "xmppdna Test Root"
make_root other-root "Unrelated Test Root"

ca_dir inter
csr inter "/CN=xmppdna Test Intermediate"
sign root inter ext.conf inter 20240101000000Z 20450101000000Z

mkdir -p cadir
cp root.pem cadir/
openssl rehash cadir >/dev/null 2>&1 || c_rehash cadir >/dev/null

# leaf NAME SUBJECT SECTION [CA] [START END]
leaf() {
  local name=$1 subject=$2 section=$3 ca=${4:-inter}
  csr "$name" "$subject"
  sign "$ca" "$name" ext.conf "$section" "${5:-$start}" "${6:-$end}"
  if [ "$ca" = inter ]; then cat "$name.pem" inter.pem > "$name-chain.pem"; else cp "$name.pem" "$name-chain.pem"; fi
  openssl x509 -in "$name.pem" -outform DER -out "$name.der"
}

leaf full "/CN=example.com" full
leaf host1 "/CN=host1.example.net" host1
leaf wildcard "/CN=*.example.org" wildcard
leaf srv-server "/CN=srv test" srv-server
leaf srv-client "/CN=srv client test" srv-client
leaf xmppaddr "/CN=xmppaddr test" xmppaddr
leaf ip "/CN=ip test" ip
leaf cn-only "/CN=example.com" cn-only
leaf idn "/CN=idn test" idn
leaf partial-wildcard "/CN=partial wildcard test" partial-wildcard
leaf nul "/CN=nul test" nul
leaf expired "/CN=example.com" plain inter 20200101000000Z 20210101000000Z
leaf not-yet-valid "/CN=example.com" plain inter 20400101000000Z 20450101000000Z
leaf wrong-ca "/CN=example.com" plain other-root
leaf client-eku "/CN=example.com" client-eku
leaf codesign-eku "/CN=example.com" codesign-eku
leaf no-eku "/CN=example.com" no-eku
# HTTPS servers for POSH: a hosting provider's web server and a hosted domain's.
leaf web-hosting "/CN=hosting.example.net" web-hosting
leaf web-insecure "/CN=insecure.example" web-insecure
# The second XMPP server of the Prosody federation test, which holds its own name.
leaf xmpp-b "/CN=b.example.net" xmpp-b
# 10,000 SANs, the last of them example.com: bad-input tests (hostile sizes).
{ printf '[ many-sans ]\nbasicConstraints = CA:false\nkeyUsage = critical, digitalSignature\n'
  printf 'extendedKeyUsage = serverAuth, clientAuth\nsubjectAltName = @many_sans\n[ many_sans ]\n'
  for i in $(seq 1 9999); do printf 'DNS.%d = h%d.many.example\n' "$i" "$i"; done
  printf 'DNS.10000 = example.com\n'; } >> ext.conf
leaf many-sans "/CN=many sans test" many-sans

# Issue #24: technically constrained sub-CAs, and a CA certificate posing as an end entity.
cat >> ext.conf <<'EOF'
[ nc_dns ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;DNS:example.org
[ nc_excluded ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, excluded;DNS:victim.com
[ nc_srvname ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-server.example.org
[ nc_both ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;DNS:example.org, permitted;otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-server.example.org
[ nc_leaf_srv_then_dns ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-server.example.org, DNS:victim.com
[ nc_ip ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
nameConstraints = critical, permitted;IP:192.0.2.0/255.255.255.0
[ nc_leaf_xmppaddr ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:xmpp.example.org, otherName:1.3.6.1.5.5.7.8.5;UTF8:victim.com
[ nc_leaf_srvid ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:xmpp.example.org, otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-server.victim.com
[ nc_leaf_dns ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:victim.com
[ nc_leaf_inside ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:xmpp.example.org, otherName:1.3.6.1.5.5.7.8.5;UTF8:example.org, otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-server.example.org
[ nc_leaf_srv_only ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = otherName:1.3.6.1.5.5.7.8.7;IA5STRING:_xmpp-server.victim.com
[ nc_leaf_ip ]
basicConstraints = CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = IP:198.51.100.7
[ ca_as_leaf ]
basicConstraints = critical, CA:true
keyUsage = critical, digitalSignature, keyCertSign
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:example.com
EOF
# constrained_ca NAME SECTION: a sub-CA under the root.
constrained_ca() {
  ca_dir "$1"
  csr "$1" "/CN=Constrained $1"
  sign root "$1" ext.conf "$2" 20240101000000Z 20450101000000Z
}
constrained_ca nc-dns nc_dns
constrained_ca nc-excluded nc_excluded
constrained_ca nc-srvname nc_srvname
constrained_ca nc-ip nc_ip
constrained_ca nc-both nc_both
# nc_leaf NAME SECTION CA: a leaf under a constrained sub-CA, its chain file holding that CA.
nc_leaf() { leaf "$1" "/CN=$1" "$2" "$3"; cat "$1.pem" "$3.pem" > "$1-chain.pem"; }
nc_leaf nc-xmppaddr nc_leaf_xmppaddr nc-dns
nc_leaf nc-srvid nc_leaf_srvid nc-dns
nc_leaf nc-dnsid nc_leaf_dns nc-dns
nc_leaf nc-inside nc_leaf_inside nc-dns
nc_leaf nc-excluded-xmppaddr nc_leaf_xmppaddr nc-excluded
nc_leaf nc-srvname-srvid nc_leaf_srv_only nc-srvname
nc_leaf nc-srvname-inside nc_leaf_inside nc-srvname
nc_leaf nc-ip-outside nc_leaf_ip nc-ip
nc_leaf nc-both-dns-outside nc_leaf_srv_then_dns nc-both
nc_leaf nc-both-inside nc_leaf_inside nc-both
leaf ca-as-leaf "/CN=example.com" ca_as_leaf root

key self-signed
openssl req -new -x509 -key self-signed.key -subj "/CN=example.com" -days 3650 \
  -addext "subjectAltName=DNS:example.com" -addext "basicConstraints=CA:false" \
  -out self-signed.pem 2>/dev/null
cp self-signed.pem self-signed-chain.pem
openssl x509 -in self-signed.pem -outform DER -out self-signed.der
rm -f ./*.csr

if [ "$check" = 1 ]; then
  at=1893456000
  verify() { # name expected-substring
    local got
    got=$(openssl verify -attime $at -purpose sslserver -CAfile root.pem -untrusted inter.pem "$1.pem" 2>&1 || true)
    case "$got" in *"$2"*) echo "ok   $1: $2" ;; *) echo "FAIL $1: wanted '$2', got: $got"; return 1 ;; esac
  }
  verify full OK
  verify host1 OK
  verify expired "certificate has expired"
  verify not-yet-valid "certificate is not yet valid"
  verify wrong-ca "unable to get local issuer certificate"
  verify codesign-eku "unsuitable certificate purpose"
  verify client-eku "unsuitable certificate purpose"
  verify no-eku OK
  verify self-signed "self-signed certificate"
  openssl x509 -in nul.pem -noout -ext subjectAltName | grep -q 'example.com' && echo "ok   nul: SAN present"
  openssl x509 -in idn.pem -noout -ext subjectAltName | grep -q 'xn--bcher-kva.example' && echo "ok   idn: SAN present"
fi
echo "test PKI ready in $out"
