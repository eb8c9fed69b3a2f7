// profiles_toml.cc — the TOML half of tc_profiles_load: parses the official
// CLI's config.toml with toml++ and hands the profiles back to C as malloc'd
// strings. Error messages give a position only, never the file's text (it
// holds private keys).
#include <toml++/toml.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <string_view>

#include "profiles_toml.h"

namespace {

char *dup_str(std::string_view s)
{
	char *p = static_cast<char *>(std::malloc(s.size() + 1));
	if (!p)
		throw std::bad_alloc();
	std::memcpy(p, s.data(), s.size());
	p[s.size()] = '\0';
	return p;
}

// A string value of a table, or nullptr when absent, empty or not a string.
char *opt_str(const toml::table &t, const char *key)
{
	const auto *v = t.get_as<std::string>(key);
	if (!v || v->get().empty())
		return nullptr;
	return dup_str(v->get());
}

// toml++ 3.3 reaches __builtin_unreachable() (undefined behaviour) in
// is_non_ascii_horizontal_whitespace() for every code point of its lookup
// chunks 0, 11 and 63 other than the three it names (found by fuzzing:
// tests/fuzz/regressions/api_profiles/), and it asks that question wherever
// it skips whitespace. So such characters never reach toml++: the file is
// refused with their position. This also refuses U+00A1..U+0499 (accented
// Latin, Greek, Cyrillic) in comments and names; ticloud profiles are ASCII.
bool toml_ws_undefined(unsigned long c)
{
	if (c < 0xA0 || c > 0xFEFF || c == 0xA0 || c == 0x3000 || c == 0xFEFF)
		return false;
	unsigned long chunk = (c - 0xA0) / 0x3FA;
	return chunk == 0 || chunk == 11 || chunk == 63;
}

// 0, or -1 with the position (line, column) and code point of the first
// character toml_ws_undefined() refuses. Invalid UTF-8 is left to toml++.
int unsafe_char(const char *text, size_t len, unsigned *line, unsigned *col,
		unsigned long *cp)
{
	unsigned l = 1, c = 1;

	for (size_t i = 0; i < len; i++) {
		unsigned char b = static_cast<unsigned char>(text[i]);
		if (b == '\n') {
			l++;
			c = 1;
			continue;
		}
		if ((b & 0xC0) == 0x80)
			continue;
		c++;
		int n = (b & 0xE0) == 0xC0 ? 1 : (b & 0xF0) == 0xE0 ? 2 : 0;
		if (!n || i + (size_t)n >= len)
			continue;
		unsigned long v = b & (n == 1 ? 0x1F : 0x0F);
		for (int k = 1; k <= n; k++)
			v = (v << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
		if (toml_ws_undefined(v)) {
			*line = l;
			*col = c - 1;
			*cp = v;
			return -1;
		}
	}
	return 0;
}

} // namespace

extern "C" int tc_profiles_parse_toml(const char *text, size_t len,
				       struct tc_profile_list *out,
				       char *errbuf, size_t errsize)
{
	unsigned line, col;
	unsigned long cp;

	std::memset(out, 0, sizeof(*out));
	if (unsafe_char(text, len, &line, &col, &cp) != 0) {
		std::snprintf(errbuf, errsize, "unsupported character U+%04lX at "
			      "line %u, column %u", cp, line, col);
		return -1;
	}
	try {
		toml::table root = toml::parse(std::string_view(text, len));
		size_t ntables = 0;
		for (auto &&kv : root)
			if (kv.second.is_table())
				ntables++;
		if (const auto *cur = root.get_as<std::string>("current-profile"))
			out->current = dup_str(cur->get());
		if (ntables) {
			out->items = static_cast<struct tc_profile *>(
				std::calloc(ntables, sizeof(*out->items)));
			if (!out->items)
				throw std::bad_alloc();
		}
		for (auto &&kv : root) {
			const toml::table *t = kv.second.as_table();
			if (!t)
				continue;
			const auto *pub = t->get_as<std::string>("public-key");
			const auto *priv = t->get_as<std::string>("private-key");
			if (!pub || !priv || pub->get().empty() || priv->get().empty())
				continue;  // OAuth-only or incomplete profile
			struct tc_profile *p = &out->items[out->count++];
			p->name = dup_str(kv.first.str());
			p->public_key = dup_str(pub->get());
			p->private_key = dup_str(priv->get());
			p->serverless_endpoint = opt_str(*t, "serverless-endpoint");
			p->iam_endpoint = opt_str(*t, "iam-endpoint");
		}
		return 0;
	} catch (const toml::parse_error &e) {
		std::snprintf(errbuf, errsize,
			      "TOML syntax error at line %u, column %u",
			      static_cast<unsigned>(e.source().begin.line),
			      static_cast<unsigned>(e.source().begin.column));
	} catch (const std::bad_alloc &) {
		std::snprintf(errbuf, errsize, "out of memory");
	} catch (...) {
		std::snprintf(errbuf, errsize, "cannot parse the file");
	}
	tc_profiles_release(out);
	return -1;
}
