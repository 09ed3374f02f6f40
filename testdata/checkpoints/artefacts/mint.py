#!/usr/bin/env python3
"""Mints the lab credentials for the credentials checkpoint into DIR and prints the ground truth.

A projected service-account token (RS256, signed with a throwaway key made here), an AWS key
pair, a postgres URL with a password, a basic-auth git URL, an SSH private key and a GCP
service-account key file. None of them is valid anywhere."""
import base64, json, os, subprocess, sys

d = sys.argv[1]
os.makedirs(f"{d}/sa", exist_ok=True); os.makedirs(f"{d}/home", exist_ok=True)
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
subprocess.run(["openssl", "genrsa", "-out", f"{d}/signer.pem", "2048"], check=True, capture_output=True)
claims = {
    "aud": ["https://kubernetes.default.svc.cluster.local"], "exp": 1796400000, "iat": 1764864000,
    "iss": "https://kubernetes.default.svc.cluster.local",
    "kubernetes.io": {"namespace": "payments", "pod": {"name": "billing-7d9f8c6b5-x2x9q", "uid": "5b2c1f9e-7a41-4c1e-9f0e-2d3c4b5a6f70"},
                      "serviceaccount": {"name": "billing", "uid": "0e8e3c7a-1f2b-4d5c-8a9b-6c7d8e9f0a1b"}, "warnafter": 1764867607},
    "nbf": 1764864000, "sub": "system:serviceaccount:payments:billing",
}
signing = b64(json.dumps({"alg": "RS256", "kid": "lab-7Qx"}, separators=(",", ":")).encode()) + "." + \
    b64(json.dumps(claims, separators=(",", ":")).encode())
sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", f"{d}/signer.pem"], input=signing.encode(), check=True, capture_output=True).stdout
token = signing + "." + b64(sig)
open(f"{d}/sa/token", "w").write(token)
open(f"{d}/sa/namespace", "w").write("payments")
akid, secret = "AKIA" + "LAB7Q2X4Z6C8V0B3", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYLABKEY0q1Z"
pg = "postgres://billing:Pg-s3cret-0f9a@db.payments.svc:5432/ledger?sslmode=require"
git = "https://deploy-bot:ghp_lab0000secret1111token@git.example.internal/payments/billing.git"
open(f"{d}/env", "w").write(f"AWS_ACCESS_KEY_ID={akid}\nAWS_SECRET_ACCESS_KEY={secret}\nDATABASE_URL={pg}\nKUBE_TOKEN={token}\nGIT_REMOTE={git}\n")
subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "deploy@lab", "-f", f"{d}/home/id_ed25519"], check=True)
subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", f"{d}/gcp.pem"], check=True, capture_output=True)
gcp = {"type": "service_account", "project_id": "lab-payments", "private_key_id": "3f0c9a1b2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a",
       "private_key": open(f"{d}/gcp.pem").read(), "client_email": "exporter@lab-payments.iam.gserviceaccount.com",
       "client_id": "104857600000000000042", "token_uri": "https://oauth2.googleapis.com/token"}
open(f"{d}/home/gcp.json", "w").write(json.dumps(gcp, indent=2))
for f in os.listdir(f"{d}/home"): os.chmod(f"{d}/home/{f}", 0o644)
print(json.dumps({"kubernetes_token": token, "claims": claims, "aws_access_key_id": akid, "aws_secret_access_key": secret,
                  "database_url": pg, "basic_auth_url": git, "ssh_private_key": "OPENSSH ed25519 deploy@lab",
                  "gcp_client_email": gcp["client_email"], "gcp_private_key_id": gcp["private_key_id"]}, indent=2))
