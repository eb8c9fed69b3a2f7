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

} // namespace

extern "C" int tc_profiles_parse_toml(const char *text, size_t len,
				       struct tc_profile_list *out,
				       char *errbuf, size_t errsize)
{
	std::memset(out, 0, sizeof(*out));
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
