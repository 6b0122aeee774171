// SPDX-License-Identifier: GPL-3.0-or-later
#include "policy/SchemeJson.h"

#include "policy/JsonFieldReader.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <optional>

namespace conclave::policy {
namespace {

using classification::Scheme;

constexpr const char* kBuiltinUk = "uk-gsc-2023";

std::optional<size_t> levelIndex(const Scheme& scheme, const std::string& name)
{
    for (size_t i = 0; i < scheme.levels.size(); ++i)
        if (scheme.levels[i].name == name)
            return i;
    return std::nullopt;
}

size_t readLevelRef(JsonFieldReader& r, const Scheme& scheme, const char* key)
{
    const std::string name = r.string(key);
    if (r.failed())
        return 0;
    const auto index = levelIndex(scheme, name);
    if (!index)
        r.fail("'" + r.pathOf(key) + "' names level '" + name +
               "', which the scheme does not define");
    return index.value_or(0);
}

void readFullScheme(JsonFieldReader& r, const std::string& path, Scheme& s,
                    std::optional<Error>& error)
{
    r.rejectUnknownKeys({"id", "name", "levels", "sensitive_suffix", "sensitive_levels",
                         "handling_instructions", "org_use_only", "embargo", "descriptors",
                         "caveats", "caveat_min_level", "codewords", "codeword_min_level"});
    s.id = r.string("id");
    s.name = r.string("name");
    const QJsonArray levels = r.array("levels");
    for (qsizetype i = 0; i < levels.size() && !r.failed(); ++i) {
        const QJsonObject lo = levels[i].toObject();
        JsonFieldReader lr(lo, path + ".levels[" + std::to_string(i) + "]", error);
        if (!levels[i].isObject())
            lr.fail("'" + path + ".levels[" + std::to_string(i) + "]' must be an object");
        lr.rejectUnknownKeys({"name", "background", "foreground"});
        s.levels.push_back({lr.string("name"), lr.string("background"), lr.string("foreground")});
    }
    s.sensitiveSuffix = r.string("sensitive_suffix");
    for (const auto& name : r.stringList("sensitive_levels")) {
        const auto index = levelIndex(s, name);
        if (!index)
            r.fail("'" + path + ".sensitive_levels' names unknown level '" + name + "'");
        else
            s.sensitiveLevels.push_back(*index);
    }
    const QJsonArray his = r.array("handling_instructions");
    for (qsizetype i = 0; i < his.size() && !r.failed(); ++i) {
        const QJsonObject ho = his[i].toObject();
        JsonFieldReader hr(ho, path + ".handling_instructions[" + std::to_string(i) + "]", error);
        hr.rejectUnknownKeys({"phrase", "max_level", "allowed_with_sensitive", "public_release"});
        classification::HandlingInstruction h;
        h.phrase = hr.string("phrase");
        if (hr.has("max_level"))
            h.maxLevel = readLevelRef(hr, s, "max_level");
        h.allowedWithSensitive = hr.boolean("allowed_with_sensitive");
        h.publicRelease = hr.boolean("public_release");
        s.handlingInstructions.push_back(h);
    }
    s.orgUseOnly = r.boolean("org_use_only");
    s.embargo = r.boolean("embargo");
    s.descriptors = r.stringList("descriptors");
    const QJsonArray caveats = r.array("caveats");
    for (qsizetype i = 0; i < caveats.size() && !r.failed(); ++i) {
        const QJsonObject co = caveats[i].toObject();
        JsonFieldReader cr(co, path + ".caveats[" + std::to_string(i) + "]", error);
        cr.rejectUnknownKeys({"phrase", "jurisdictions"});
        s.caveats.push_back({cr.string("phrase"), cr.stringList("jurisdictions")});
    }
    s.caveatMinLevel = readLevelRef(r, s, "caveat_min_level");
    s.codewords = r.stringList("codewords");
    s.codewordMinLevel = readLevelRef(r, s, "codeword_min_level");
}

} // namespace

Result<Scheme> schemeFromJson(const QJsonValue& value, const std::string& path)
{
    if (value.isString()) {
        if (value.toString() == QLatin1String(kBuiltinUk))
            return Scheme::ukGovernment();
        return makeError("policy.invalid", "'" + path + "' names scheme '" +
                                               value.toString().toStdString() +
                                               "'; the built-in scheme is '" + kBuiltinUk +
                                               "', any other must be defined in full");
    }
    if (!value.isObject())
        return makeError("policy.invalid", "'" + path + "' must be a scheme name or an object");

    std::optional<Error> error;
    const QJsonObject obj = value.toObject();
    JsonFieldReader r(obj, path, error);
    Scheme scheme;
    if (obj.contains(QLatin1String("base"))) {
        r.rejectUnknownKeys({"base", "codewords"});
        const std::string base = r.string("base");
        if (!r.failed() && base != kBuiltinUk)
            r.fail("'" + path + ".base' must be '" + kBuiltinUk + "'");
        scheme = Scheme::ukGovernment();
        scheme.codewords = r.stringList("codewords");
    } else {
        readFullScheme(r, path, scheme, error);
    }
    if (error)
        return *error;
    if (auto problem = scheme.validationError())
        return makeError("policy.invalid", "'" + path + "' is not a usable scheme: " + *problem);
    return scheme;
}

} // namespace conclave::policy
