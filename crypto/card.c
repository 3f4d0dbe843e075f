/* SPDX-License-Identifier: Apache-2.0 */
/* Node cards, the one line an operator hands to a neighbour out of band:
 * "tncard1 NAME KEY ADDR CHECK". CHECK is the first 4 bytes of
 * BLAKE2b-256("NAME KEY ADDR") in hex, so that typos are caught. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cx_int.h"

#define CARD_TAG "tncard1"
#define CARD_FIELDS 5
#define CHECK_BYTES 4
#define CHECK_HEX (2 * CHECK_BYTES)
#define HOST_MAX 253
#define LABEL_MAX 63

/* ISO 3166-1 alpha-3 shape: three upper-case ASCII letters. */
static int name_ok(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return 0;
	return s[3] == '\0';
}

/* 1-65535, decimal, no sign, no leading zero. */
static int port_ok(const char *s)
{
	size_t n = strlen(s);
	long v = 0;

	if (n == 0 || n > 5 || s[0] == '0')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v <= 65535;
}

static int ip_ok(int af, const char *s, size_t n)
{
	char buf[INET6_ADDRSTRLEN];
	uint8_t addr[16];

	if (n >= sizeof buf)
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return inet_pton(af, buf, addr) == 1;
}

/* A dotted IPv4 address, or a DNS name of letters, digits and hyphens. */
static int host_ok(const char *s, size_t n)
{
	size_t label = 0;

	if (n == 0 || n > HOST_MAX)
		return 0;
	if (strspn(s, "0123456789.") >= n)
		return ip_ok(AF_INET, s, n);
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];

		if (ch == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
		} else if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			   (ch >= '0' && ch <= '9') || (ch == '-' && label > 0)) {
			if (++label > LABEL_MAX)
				return 0;
		} else {
			return 0;
		}
	}
	return label > 0 && s[n - 1] != '-';
}

/* host:port or [IPv6]:port. */
int cx_card_addr_ok(const char *a)
{
	size_t len = strnlen(a, CX_ADDR_LEN), hlen;
	const char *colon;

	if (len == 0 || len >= CX_ADDR_LEN)
		return 0;
	colon = strrchr(a, ':');
	if (!colon || !port_ok(colon + 1))
		return 0;
	hlen = (size_t)(colon - a);
	if (a[0] == '[')
		return hlen > 2 && a[hlen - 1] == ']' && ip_ok(AF_INET6, a + 1, hlen - 2);
	return host_ok(a, hlen);
}

/* Usable for both signatures and boxes: on the curve, not of small order. */
static int key_ok(const uint8_t pk[static CX_PK_LEN])
{
	uint8_t xpk[crypto_box_PUBLICKEYBYTES];

	return crypto_sign_ed25519_pk_to_curve25519(xpk, pk) == 0;
}

_Static_assert(CX_KEY_TEXT_LEN == CX__PK_B64_LEN + 1, "key text length");

int cx_key_parse(const char *text, uint8_t pk[static CX_PK_LEN])
{
	const char *end = NULL;
	size_t len = 0;

	if (strlen(text) != CX__PK_B64_LEN ||
	    sodium_base642bin(pk, CX_PK_LEN, text, CX__PK_B64_LEN, NULL, &len, &end, CX__B64) != 0 ||
	    len != CX_PK_LEN || end != text + CX__PK_B64_LEN || !key_ok(pk))
		return TN_ERR_INVALID;
	return 0;
}

void cx_key_format(const uint8_t pk[static CX_PK_LEN], char out[static CX_KEY_TEXT_LEN])
{
	sodium_bin2base64(out, CX_KEY_TEXT_LEN, pk, CX_PK_LEN, CX__B64);
}

static void card_check(const char *body, size_t n, char out[static CHECK_HEX + 1])
{
	uint8_t h[crypto_generichash_BYTES];

	crypto_generichash(h, sizeof h, (const uint8_t *)body, n, NULL, 0);
	sodium_bin2hex(out, CHECK_HEX + 1, h, CHECK_BYTES);
}

int cx_card_format(const struct cx_card *c, char *out, size_t cap)
{
	char key[CX_KEY_TEXT_LEN], body[CX_CARD_LEN], check[CHECK_HEX + 1];
	int n;

	if (cap)
		out[0] = '\0';
	if (!name_ok(c->name) || !cx_card_addr_ok(c->addr) || !key_ok(c->pk))
		return TN_ERR_INVALID;
	cx_key_format(c->pk, key);
	n = snprintf(body, sizeof body, "%s %s %s", c->name, key, c->addr);
	if (n < 0 || (size_t)n >= sizeof body)
		return TN_ERR_INVALID;
	card_check(body, (size_t)n, check);
	n = snprintf(out, cap, CARD_TAG " %s %s", body, check);
	if (n < 0 || (size_t)n >= cap) {
		if (cap)
			out[0] = '\0';
		return TN_ERR_TOO_BIG;
	}
	return 0;
}

/* Split s in place at single spaces into at most max non-empty fields;
 * the field count, or -1 for an empty field or too many fields. */
static int split(char *s, char **f, int max)
{
	int n = 0;

	for (;;) {
		char *sp = strchr(s, ' ');

		if (n == max || sp == s || *s == '\0')
			return -1;
		f[n++] = s;
		if (!sp)
			return n;
		*sp = '\0';
		s = sp + 1;
	}
}

/* Check the key and the checksum of split fields and fill c. */
static int card_fields(struct cx_card *c, char **f)
{
	char body[CX_CARD_LEN], check[CHECK_HEX + 1];
	int n;

	if (strcmp(f[0], CARD_TAG) || !name_ok(f[1]) || !cx_card_addr_ok(f[3]) ||
	    cx_key_parse(f[2], c->pk))
		return TN_ERR_INVALID;
	n = snprintf(body, sizeof body, "%s %s %s", f[1], f[2], f[3]);
	if (n < 0 || (size_t)n >= sizeof body)
		return TN_ERR_INVALID;
	card_check(body, (size_t)n, check);
	if (strlen(f[4]) != CHECK_HEX || strcasecmp(f[4], check) != 0)
		return TN_ERR_INVALID;
	memcpy(c->name, f[1], sizeof c->name);
	memcpy(c->addr, f[3], strlen(f[3]) + 1);
	cx_fingerprint(c->pk, c->fp);
	return 0;
}

int cx_card_parse(struct cx_card *c, const char *text)
{
	char buf[CX_CARD_LEN], *f[CARD_FIELDS];
	struct cx_card tmp;
	size_t len = strnlen(text, sizeof buf);
	int ret = TN_ERR_INVALID;

	memset(&tmp, 0, sizeof tmp);
	if (len == sizeof buf)
		goto out;
	memcpy(buf, text, len + 1);
	while (len && strchr(" \t\r\n", buf[len - 1]))
		buf[--len] = '\0';
	if (split(buf, f, CARD_FIELDS) != CARD_FIELDS)
		goto out;
	ret = card_fields(&tmp, f);
out:
	if (!ret)
		*c = tmp;
	else
		memset(c, 0, sizeof *c);
	return ret;
}
