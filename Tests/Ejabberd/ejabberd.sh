# ejabberd servers for the federation world of Tests/Prosody/world.sh,
# sourced after it by Tests/Ejabberd/run.sh. Each runs as a plain `erl`
# node without distribution (no epmd, no cookie), from Debian's ejabberd
# package, and is stopped by PID like the Prosody servers.

dna_ejabberd_lib=${EJABBERD_LIB:-$(ls -d /usr/lib/*/ejabberd-[0-9]* 2>/dev/null | sort | tail -1)}

# ejabberd 23.01 looks up SRV records with inet_res (the inetrc below) but
# addresses with libc's getaddrinfo, which reads /etc/resolv.conf: run.sh
# gives its mount namespace a resolv.conf naming the world's server on port 53.
dna_ejabberd_resolv_conf() {
  echo "nameserver ${dna_authoritative%@*}" > "$dna_work/resolv.conf"
  mount --bind "$dna_work/resolv.conf" /etc/resolv.conf
}

# dna_dns_only_leaf NAME DOMAIN [CA]: a certificate from the test PKI's
# intermediate (or CA, e.g. other-root) with the single DNS-ID DOMAIN.
# ejabberd's own check crashes on the fixtures' XmppAddr certificates, so
# its PKIX acceptance is shown with these.
dna_dns_only_leaf() {
  local name=$1 domain=$2 ca=${3:-inter} pki=$dna_pki
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$pki/$name.key" \
    -subj "/CN=$domain" -out "$pki/$name.csr" 2>/dev/null
  printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n' "$domain" > "$pki/$name.ext"
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/$ca.pem" -CAkey "$pki/$ca.key" -set_serial "0x$(openssl rand -hex 8)" \
    -days 3650 -extfile "$pki/$name.ext" -out "$pki/$name.pem" 2>/dev/null
  cat "$pki/$name.pem" "$pki/$ca.pem" > "$pki/$name-chain.pem"
}

# dna_ejabberd_config NAME DNS LISTEN LEAF MODULES DOMAIN...
#   DNS      ADDR@PORT ejabberd's own resolver (inet_res; never resolv.conf)
#   LISTEN   "ADDR ADDR..." for c2s (5222) and s2s (5269; 5270 direct TLS)
#   LEAF     the test PKI's certificate every domain presents
#   MODULES  YAML lines under `modules:` beyond mod_roster and mod_disco
dna_ejabberd_config() {
  local name=$1 dns=$2 listen=$3 leaf=$4 modules=$5 dir=$dna_work/$1 address domain
  shift 5
  mkdir -p "$dir"
  printf '{lookup, [dns]}.\n{resolv_conf, ""}.\n{hosts_file, ""}.\n{nameserver, {%s}, %s}.\n' \
    "$(echo "${dns%@*}" | tr . ,)" "${dns#*@}" > "$dir/inetrc"
  {
    echo "hosts:"
    for domain in "$@"; do echo "  - \"$domain\""; done
    cat <<EOF
loglevel: info
log_rotate_count: 0
certfiles: ["$dna_pki/$leaf-chain.pem", "$dna_pki/$leaf.key"]
ca_file: "$dna_pki/root.pem"
s2s_cafile: "$dna_pki/root.pem"
s2s_use_starttls: required
auth_method: internal
auth_password_format: plain
acme: {auto: false}
listen:
EOF
    for address in $listen; do
      printf '  - {port: 5222, ip: "%s", module: ejabberd_c2s}\n' "$address"
      printf '  - {port: 5269, ip: "%s", module: ejabberd_s2s_in}\n' "$address"
      printf '  - {port: 5270, ip: "%s", module: ejabberd_s2s_in, tls: true}\n' "$address"
    done
    printf 'modules:\n  mod_roster: {}\n  mod_disco: {}\n%s\n' "$modules"
  } > "$dir/ejabberd.yml"
}

# dna_ejabberd_module_config: mod_s2s_dna's options for the world ($1: more YAML option lines).
dna_ejabberd_module_config() {
  printf '  mod_s2s_dna:\n    resolvers: ["%s"]\n    trust_anchor_file: "%s"\n%s' \
    "$dna_resolver" "$dna_work/world/root-ds.key" "${1:-}"
}

# dna_ejabberd_start NAME ADDRESS USER@DOMAIN...: starts NAME, registers the
# users (password "secret"), waits for its c2s port. ejabberd finds
# mod_s2s_dna as an installed contrib module in $dna_ejabberd_modules
# (bindings/erlang/build.sh wrote it to $dna_ejabberd_modules/mod_s2s_dna).
dna_ejabberd_start() {
  local name=$1 address=$2 dir=$dna_work/$1 register="" jid
  shift 2
  for jid in "$@"; do
    register+="ok = ejabberd_auth:try_register(<<\"${jid%@*}\">>, <<\"${jid#*@}\">>, <<\"secret\">>), "
  done
  rm -rf "$dir/db"
  # Before erl starts: a "ready" left by the last instance must not pass the
  # wait below, nor its log lines the checks of this one.
  rm -f "$dir/stdout.log"
  [ ! -f "$dir/ejabberd.log" ] || mv "$dir/ejabberd.log" "$dir/ejabberd.log.$(date +%s%N)"
  ERL_LIBS=$(dirname "$dna_ejabberd_lib") ERL_INETRC=$dir/inetrc CONTRIB_MODULES_PATH=$dna_ejabberd_modules \
    erl -noinput -mnesia dir "\"$dir/db\"" \
      -ejabberd config "\"$dir/ejabberd.yml\"" log_path "\"$dir/ejabberd.log\"" \
      -eval "{ok, _} = application:ensure_all_started(ejabberd), ${register}io:format(\"ready~n\")." \
      >"$dir/stdout.log" 2>&1 &
  dna_pids+=($!)
  for _ in $(seq 150); do
    grep -q '^ready' "$dir/stdout.log" 2>/dev/null && return 0
    kill -0 "${dna_pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "ejabberd $name did not start:"; tail -20 "$dir/stdout.log" "$dir/ejabberd.log" 2>/dev/null
  return 1
}
