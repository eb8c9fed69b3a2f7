/*
 * md5.c — MD5 (RFC 1321), only for HTTP Digest authentication.
 *
 * Written here rather than taken from libcrypto to keep the library's
 * dependencies at libcurl + jansson. MD5 is required by the API's digest
 * challenge; it is not used for anything else.
 */
#include <string.h>
#include "tc_internal.h"

static const uint32_t K[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
	0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
	0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
	0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
	0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

/* Per-round rotation amounts, four per round. */
static const unsigned char S[4][4] = {
	{ 7, 12, 17, 22 }, { 5, 9, 14, 20 }, { 4, 11, 16, 23 }, { 6, 10, 15, 21 },
};

static uint32_t rotl(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static void md5_block(uint32_t h[4], const unsigned char *p)
{
	uint32_t m[16];
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3];

	for (int i = 0; i < 16; i++)
		m[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
		       (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;
	for (int i = 0; i < 64; i++) {
		uint32_t f;
		int g, round = i / 16;

		switch (round) {
		case 0:  f = (b & c) | (~b & d); g = i; break;
		case 1:  f = (b & d) | (c & ~d); g = (5 * i + 1) % 16; break;
		case 2:  f = b ^ c ^ d;          g = (3 * i + 5) % 16; break;
		default: f = c ^ (b | ~d);       g = (7 * i) % 16; break;
		}
		f += a + K[i] + m[g];
		a = d;
		d = c;
		c = b;
		b += rotl(f, S[round][i % 4]);
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
}

void tc_md5_init(struct tc_md5 *m)
{
	m->h[0] = 0x67452301;
	m->h[1] = 0xefcdab89;
	m->h[2] = 0x98badcfe;
	m->h[3] = 0x10325476;
	m->len = 0;
}

void tc_md5_update(struct tc_md5 *m, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t fill = (size_t)(m->len % 64);

	m->len += len;
	if (fill) {
		size_t take = 64 - fill < len ? 64 - fill : len;
		memcpy(m->buf + fill, p, take);
		p += take;
		len -= take;
		if (fill + take < 64)
			return;
		md5_block(m->h, m->buf);
	}
	for (; len >= 64; p += 64, len -= 64)
		md5_block(m->h, p);
	if (len)
		memcpy(m->buf, p, len);
}

void tc_md5_final(struct tc_md5 *m, unsigned char out[16])
{
	unsigned char tail[72];
	uint64_t bits = m->len * 8;
	size_t fill = (size_t)(m->len % 64);
	size_t pad = fill < 56 ? 56 - fill : 120 - fill;

	memset(tail, 0, sizeof(tail));
	tail[0] = 0x80;
	for (int i = 0; i < 8; i++)
		tail[pad + i] = (unsigned char)(bits >> (8 * i));
	tc_md5_update(m, tail, pad + 8);
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			out[4 * i + j] = (unsigned char)(m->h[i] >> (8 * j));
	memset(m, 0, sizeof(*m));
}

void tc_md5_hex(const void *data, size_t len, char out[33])
{
	static const char hex[] = "0123456789abcdef";
	struct tc_md5 m;
	unsigned char d[16];

	tc_md5_init(&m);
	tc_md5_update(&m, data, len);
	tc_md5_final(&m, d);
	for (int i = 0; i < 16; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[32] = '\0';
}
