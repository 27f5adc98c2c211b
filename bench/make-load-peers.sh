#!/usr/bin/env bash
# The peers of bench/run-server-load.sh, made with the openssl CLI from the
# test PKI: DOMAINS domains dN.load.example.com and CHAINS chains over them
# (chain i belongs to domain i mod DOMAINS; a domain's chains share its key,
# as a server's renewed certificates do). By N mod 4 a domain is proven by
#   0 DANE-EE  SRV to lN.example.net, TLSA 3 1 1 of the domain's key
#   1 DANE-TA  SRV to lN.example.net, TLSA 2 0 1 of the test intermediate,
#              leaf for lN.example.net under it
#   2 PKI      SRV to lN.example.net, no TLSA, leaf for lN.example.net
#              under the test intermediate (the delegated name)
#   3 POSH     no SRV; a self-signed leaf whose SHA-256 its POSH document
#              names, served over HTTPS for dN.load.example.com
# Writes to OUT: example.com.records and example.net.records (for
# Tests/DNSWorld/up.sh), chain-I.pem, domain-I (its domain), web/ (the POSH
# documents) and web-certs.args (https_server.py's --cert arguments).
#   make-load-peers.sh PKI_DIR OUT CHAINS DOMAINS
set -euo pipefail
pki=$1 out=$2 chains=$3 domains=$4
mkdir -p "$out/keys" "$out/web"
cd "$out"
: > example.com.records
: > example.net.records
: > web-certs.args
inter_sha256=$(openssl x509 -in "$pki/inter.pem" -outform DER | openssl dgst -sha256 -hex | sed 's/.*= //')
days=3650
leaf_ext() { # NAME -> extension file for a server/client leaf naming NAME
  printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n' "$1" > "keys/$1.ext"
  echo "keys/$1.ext"
}
for n in $(seq 0 $((domains - 1))); do
  domain=d$n.load.example.com host=l$n.example.net
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "keys/$n.key" 2>/dev/null
  case $((n % 4)) in
    0|1|2)
      printf '_xmpp-server._tcp.d%d.load SRV 0 0 5269 %s.\n' "$n" "$host" >> example.com.records
      printf 'l%d A 127.0.0.1\n' "$n" >> example.net.records ;;
    3)
      printf 'd%d.load A 127.0.0.1\n' "$n" >> example.com.records ;;
  esac
  case $((n % 4)) in
    0) printf '_5269._tcp.l%d TLSA 3 1 1 %s\n' "$n" \
         "$(openssl pkey -in "keys/$n.key" -pubout -outform DER | openssl dgst -sha256 -hex | sed 's/.*= //')" >> example.net.records ;;
    1) printf '_5269._tcp.l%d TLSA 2 0 1 %s\n' "$n" "$inter_sha256" >> example.net.records ;;
    3) # The HTTPS certificate for the POSH document: PKIX-valid for the domain.
       openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "keys/web-$n.key" -subj "/CN=$domain" \
         -out "keys/web-$n.csr" 2>/dev/null
       openssl x509 -req -in "keys/web-$n.csr" -CA "$pki/inter.pem" -CAkey "$pki/inter.key" -set_serial "0x$(openssl rand -hex 8)" \
         -days $days -extfile "$(leaf_ext "$domain")" -out "keys/web-$n.pem" 2>/dev/null
       printf -- '--cert %s=%s,%s,%s ' "$domain" "$out/keys/web-$n.pem" "$out/keys/web-$n.key" "$pki/inter.pem" >> web-certs.args ;;
  esac
done
for i in $(seq 0 $((chains - 1))); do
  n=$((i % domains))
  domain=d$n.load.example.com host=l$n.example.net
  openssl req -new -key "keys/$n.key" -subj "/CN=$host" -out "keys/$i.csr" 2>/dev/null
  if [ $((n % 4)) = 3 ]; then
    openssl x509 -req -in "keys/$i.csr" -signkey "keys/$n.key" -set_serial "$((i + 1))" -days $days \
      -extfile "$(leaf_ext "$host")" -out "chain-$i.pem" 2>/dev/null
    # One document per domain names every chain of it.
    mkdir -p "web/$domain/.well-known/posh"
    openssl x509 -in "chain-$i.pem" -outform DER | openssl dgst -sha256 -binary | openssl base64 -A >> "keys/posh-$n.digests"
    echo >> "keys/posh-$n.digests"
  else
    openssl x509 -req -in "keys/$i.csr" -CA "$pki/inter.pem" -CAkey "$pki/inter.key" -set_serial "$((i + 1))" -days $days \
      -extfile "$(leaf_ext "$host")" -out "keys/$i.pem" 2>/dev/null
    cat "keys/$i.pem" "$pki/inter.pem" > "chain-$i.pem"
  fi
  echo "$domain" > "domain-$i"
done
for digests in keys/posh-*.digests; do
  [ -e "$digests" ] || continue
  n=${digests#keys/posh-}; n=${n%.digests}
  { printf '{"fingerprints": ['
    sed '/^$/d; s/.*/{"sha-256": "&"}/' "$digests" | paste -sd, -
    printf '], "expires": 86400}\n'
  } > "web/d$n.load.example.com/.well-known/posh/xmpp-server.json"
done
