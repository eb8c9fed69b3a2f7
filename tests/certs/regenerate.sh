#!/bin/sh
# regenerate.sh — recreate the test CA and the emulator's server certificate.
#
# Writes ca.pem, ca-key.pem, server.pem and server-key.pem next to this
# script. Test material only: the private keys are committed on purpose and
# must never be trusted outside tests. Both certificates are valid for 20
# years. The server certificate names every host the emulator answers for.
set -eu

dir=$(cd "$(dirname "$0")" && pwd)
days=7300
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

cat >"$tmp/ca.cnf" <<'CNF'
[req]
distinguished_name = dn
prompt = no
x509_extensions = v3_ca
[dn]
CN = tidbcloudfs test CA
O = tidbcloudfs tests
[v3_ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
CNF

cat >"$tmp/server.cnf" <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = tidbcloud-emulator
O = tidbcloudfs tests
[v3_server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = @alt
[alt]
DNS.1 = api.tidbcloud.com
DNS.2 = serverless.tidbapi.com
DNS.3 = dedicated.tidbapi.com
DNS.4 = iam.tidbapi.com
DNS.5 = billing.tidbapi.com
DNS.6 = dataservice.tidbapi.com
DNS.7 = msp.tidbapi.com
DNS.8 = localhost
DNS.9 = download.tidbcloud-emulator.local
DNS.10 = upload.tidbcloud-emulator.local
IP.1 = 127.0.0.1
IP.2 = ::1
CNF

openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days "$days" \
	-config "$tmp/ca.cnf" -keyout "$tmp/ca-key.pem" -out "$tmp/ca.pem"
openssl req -new -newkey rsa:2048 -nodes -sha256 \
	-config "$tmp/server.cnf" -keyout "$tmp/server-key.pem" -out "$tmp/server.csr"
openssl x509 -req -sha256 -days "$days" -in "$tmp/server.csr" \
	-CA "$tmp/ca.pem" -CAkey "$tmp/ca-key.pem" -set_serial "0x$(openssl rand -hex 8)" \
	-extfile "$tmp/server.cnf" -extensions v3_server -out "$tmp/server.pem"
openssl verify -CAfile "$tmp/ca.pem" "$tmp/server.pem" >/dev/null

for f in ca.pem ca-key.pem server.pem server-key.pem; do
	cp "$tmp/$f" "$dir/$f"
done
chmod 644 "$dir/ca.pem" "$dir/server.pem" "$dir/ca-key.pem" "$dir/server-key.pem"
echo "regenerated certificates in $dir (valid $days days)"
