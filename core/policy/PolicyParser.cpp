// SPDX-License-Identifier: GPL-3.0-or-later
#include "policy/PolicyParser.h"

#include "classification/MarkingParser.h"
#include "common/Iso8601.h"
#include "crypto/Bytes.h"
#include "policy/JsonFieldReader.h"
#include "policy/SchemeJson.h"
#include "turn/TurnServer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <algorithm>
#include <set>

namespace conclave::policy {
namespace {

bool isBackendId(const std::string& id)
{
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    });
}

bool isJurisdiction(const std::string& j)
{
    return j.size() == 2 &&
           std::all_of(j.begin(), j.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string lineAndColumn(std::string_view bytes, int offset)
{
    int line = 1, column = 1;
    for (int i = 0; i < offset && static_cast<size_t>(i) < bytes.size(); ++i) {
        if (bytes[static_cast<size_t>(i)] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

TimePoint readTime(JsonFieldReader& r, const char* key)
{
    const std::string text = r.string(key);
    if (r.failed())
        return {};
    auto t = parseUtcTimestamp(text);
    if (!t) {
        r.fail("'" + r.pathOf(key) + "': " + t.error().message);
        return {};
    }
    return *t;
}

class BackendReader {
public:
    BackendReader(const classification::Scheme& scheme, std::optional<Error>& error)
        : m_scheme(scheme), m_error(error)
    {
    }

    Backend read(const QJsonValue& value, const std::string& path)
    {
        Backend b;
        const QJsonObject obj = value.toObject();
        JsonFieldReader r(obj, path, m_error);
        if (!value.isObject()) {
            r.fail("'" + path + "' must be an object");
            return b;
        }
        r.rejectUnknownKeys({"id", "name", "kind", "endpoints", "max_marking", "jurisdiction",
                             "operator", "hosts", "relay_only"});
        b.id = r.string("id");
        if (!r.failed() && !isBackendId(b.id))
            r.fail("'" + path + ".id' must be 1-64 characters of a-z, 0-9, '-', '_' or '.'");
        b.name = r.string("name");
        const std::string kind = r.string("kind");
        if (!r.failed()) {
            auto k = backendKindFromString(kind);
            if (!k)
                r.fail("'" + path + ".kind' is '" + kind + "'; use embedded, hub or hub+janus");
            b.kind = k.value_or(BackendKind::Embedded);
        }
        const QJsonArray endpoints = r.array("endpoints");
        for (qsizetype i = 0; i < endpoints.size() && !r.failed(); ++i)
            b.endpoints.push_back(
                readEndpoint(endpoints[i], path + ".endpoints[" + std::to_string(i) + "]"));
        readMaxMarking(r, b);
        b.jurisdiction = r.string("jurisdiction");
        if (!r.failed() && !isJurisdiction(b.jurisdiction))
            r.fail("'" + path + ".jurisdiction' must be a two-letter country code such as GB");
        b.operatorName = r.string("operator");
        if (!r.failed() && obj.contains(QStringLiteral("hosts")))
            b.hosts = readHosts(r, obj.value(QStringLiteral("hosts")), b, path);
        if (!r.failed() && r.has("relay_only"))
            b.relayOnly = r.boolean("relay_only");
        if (!r.failed())
            checkEndpointsFitKind(r, b, path);
        return b;
    }

private:
    /// Managed devices that may host an embedded backend's meetings: base64 Ed25519 keys.
    static std::vector<std::string> readHosts(JsonFieldReader& r, const QJsonValue& value,
                                              const Backend& b, const std::string& path)
    {
        std::vector<std::string> hosts;
        if (b.kind != BackendKind::Embedded) {
            r.fail("'" + path +
                   ".hosts' is only for embedded backends (a hub's own key is "
                   "pinned in its endpoints); remove it");
            return hosts;
        }
        if (!value.isArray()) {
            r.fail("'" + path + ".hosts' must be a list of device identity keys (base64)");
            return hosts;
        }
        for (const QJsonValue& key : value.toArray()) {
            const auto bytes = QByteArray::fromBase64Encoding(
                key.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            if (!key.isString() || !bytes || bytes.decoded.size() != 32) {
                r.fail("'" + path +
                       ".hosts' entries must be device identity keys: base64 of "
                       "32 bytes, as 'conclave --headless' prints them (\"key\")");
                return {};
            }
            hosts.push_back(key.toString().toStdString());
        }
        return hosts;
    }

    Endpoint readEndpoint(const QJsonValue& value, const std::string& path)
    {
        Endpoint e;
        const QJsonObject obj = value.toObject();
        JsonFieldReader r(obj, path, m_error);
        r.rejectUnknownKeys({"role", "url", "tls_spki_sha256"});
        const std::string role = r.string("role");
        if (role == "hub")
            e.role = Endpoint::Role::Hub;
        else if (role == "janus")
            e.role = Endpoint::Role::Janus;
        else if (role == "turn")
            e.role = Endpoint::Role::Turn;
        else if (!r.failed())
            r.fail("'" + path + ".role' is '" + role + "'; use hub, janus or turn");
        e.url = r.string("url");
        if (e.role == Endpoint::Role::Turn) {
            readTurnEndpoint(r, obj, e, path);
            return e;
        }
        if (!r.failed() && e.url.rfind("wss://", 0) != 0)
            r.fail("'" + path + ".url' must start with wss://" +
                   " (every hub and janus endpoint is reached over TLS and pinned)");
        e.spkiSha256 = r.stringList("tls_spki_sha256");
        if (!r.failed() && e.spkiSha256.empty())
            r.fail("'" + path + ".tls_spki_sha256' must list at least one pin");
        for (const auto& pin : e.spkiSha256) {
            auto raw = crypto::fromBase64(pin);
            if (!r.failed() && (!raw || raw->size() != 32))
                r.fail("'" + path + ".tls_spki_sha256' has '" + pin +
                       "', which is not the base64 of a 32-byte SHA-256 digest");
        }
        return e;
    }

    /// A TURN relay: `turn:<host>[:<port>][?transport=udp|tcp]`, checked as the client will
    /// use it, so a policy naming a server no member could use is refused when it is read.
    static void readTurnEndpoint(JsonFieldReader& r, const QJsonObject& obj, Endpoint& e,
                                 const std::string& path)
    {
        if (r.failed())
            return;
        if (e.url.rfind("turns:", 0) == 0) {
            r.fail("'" + path + ".url' is '" + e.url +
                   "', TURN over TLS (turns:), which Conclave cannot use: its ICE library "
                   "(libnice 0.1.21, Debian 12) opens a plain TCP connection for it and never "
                   "does TLS. Use TURN over TCP on port 443 instead "
                   "(turn:<host>:443?transport=tcp); media stays encrypted end to end");
            return;
        }
        if (auto address = turn::parseTurnUrl(QString::fromStdString(e.url)); !address) {
            r.fail("'" + path + ".url': " + address.error().message);
            return;
        }
        if (obj.contains(QLatin1String("tls_spki_sha256")))
            r.fail("'" + path +
                   ".tls_spki_sha256' is set, but a turn: endpoint is not reached over TLS, "
                   "so there is no key to pin; remove it");
    }

    void readMaxMarking(JsonFieldReader& r, Backend& b)
    {
        const std::string text = r.string("max_marking");
        if (r.failed())
            return;
        auto parsed = classification::MarkingParser(m_scheme).parse(text);
        if (!parsed) {
            r.fail("'" + r.pathOf("max_marking") + "': " + parsed.error().message);
            return;
        }
        if (!m_scheme.gradeIndex(parsed->marking.canonical) || !parsed->corrections.empty()) {
            std::string grades;
            for (const auto& g : m_scheme.approvalGrades())
                grades += (grades.empty() ? "" : ", ") + g;
            r.fail("'" + r.pathOf("max_marking") + "' is '" + text +
                   "'; it must be exactly one of " + grades);
            return;
        }
        b.maxMarking = parsed->marking;
    }

    static void checkEndpointsFitKind(JsonFieldReader& r, const Backend& b, const std::string& path)
    {
        const auto count = [&](Endpoint::Role role) {
            return std::count_if(b.endpoints.begin(), b.endpoints.end(),
                                 [&](const Endpoint& e) { return e.role == role; });
        };
        if (b.kind == BackendKind::Embedded && !b.endpoints.empty())
            r.fail("'" + path +
                   "' is an embedded backend, which has no fixed endpoints "
                   "(its key travels in each invite); remove its endpoints");
        if (b.kind != BackendKind::Embedded && count(Endpoint::Role::Hub) != 1)
            r.fail("'" + path + "' must have exactly one hub endpoint");
        if (b.kind == BackendKind::HubJanus && count(Endpoint::Role::Janus) < 1)
            r.fail("'" + path + "' is kind hub+janus and needs at least one janus endpoint");
        if (b.kind == BackendKind::Hub && count(Endpoint::Role::Janus) > 0)
            r.fail("'" + path + "' is kind hub but lists a janus endpoint; use kind hub+janus");
        if (b.relayOnly && count(Endpoint::Role::Turn) == 0)
            r.fail("'" + path +
                   ".relay_only' is true, but the backend lists no turn endpoint: no media "
                   "could flow. Add a turn endpoint or set relay_only to false");
    }

    const classification::Scheme& m_scheme;
    std::optional<Error>& m_error;
};

MeetingRules readRules(const QJsonValue& value, const std::string& grade, const std::string& path,
                       std::optional<Error>& error)
{
    const QJsonObject obj = value.toObject();
    JsonFieldReader r(obj, path, error);
    if (!value.isObject())
        r.fail("'" + path + "' must be an object");
    r.rejectUnknownKeys({"waiting_room", "per_person_invites", "open_knocking", "e2ee",
                         "clearance_check", "recording", "chat", "screen_share"});
    MeetingRules m;
    m.waitingRoom = r.boolean("waiting_room");
    m.perPersonInvites = r.boolean("per_person_invites");
    m.openKnocking = r.boolean("open_knocking");
    m.e2ee = r.boolean("e2ee");
    m.clearanceCheck = r.boolean("clearance_check");
    m.recording = r.boolean("recording");
    m.chat = r.boolean("chat");
    m.screenShare = r.boolean("screen_share");
    if (!r.failed() && !m.e2ee)
        r.fail("'" + path +
               ".e2ee' is false, but Conclave never holds a meeting without end-to-end "
               "encryption; set it to true");
    // A rule that cannot be enforced is refused, never carried silently: people would believe
    // a check happens that does not.
    if (!r.failed() && m.clearanceCheck)
        error = Error{"policy.unenforceable",
                      "this policy requires clearance checks for " + grade + " meetings ('" + path +
                          ".clearance_check' is true), which this version of Conclave cannot "
                          "enforce: it has no way to learn a person's clearance. The policy is "
                          "refused rather than used without the check. Ask your security "
                          "authority to set it to false (clearance is then checked by whoever "
                          "invites and admits people) or to wait for a version that enforces it",
                      ErrorCategory::PolicyRefusal};
    return m;
}

} // namespace

Result<PolicyDocument> PolicyParser::parse(std::string_view bytes)
{
    // Whatever the parser refuses is the file's content (exit 2), except a rule the policy
    // asks for that this version cannot enforce: that is the policy refusing itself.
    auto parsed = parseUnclassified(bytes);
    if (!parsed && parsed.error().category == ErrorCategory::Unspecified)
        return parsed.error().withCategory(ErrorCategory::InvalidInput);
    return parsed;
}

Result<PolicyDocument> PolicyParser::parseUnclassified(std::string_view bytes)
{
    if (bytes.size() > kMaxBytes)
        return makeError("policy.too_large", "the policy file is " + std::to_string(bytes.size()) +
                                                 " bytes; the limit is 1 MiB (1048576 bytes)");
    QJsonParseError parseError;
    const QJsonDocument json = QJsonDocument::fromJson(
        QByteArray::fromRawData(bytes.data(), static_cast<qsizetype>(bytes.size())), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return makeError("policy.malformed", "the policy file is not valid JSON: " +
                                                 parseError.errorString().toStdString() + " at " +
                                                 lineAndColumn(bytes, parseError.offset));
    if (!json.isObject())
        return makeError("policy.malformed", "the policy file must contain one JSON object");

    std::optional<Error> error;
    const QJsonObject root = json.object();
    JsonFieldReader r(root, "", error);
    r.rejectUnknownKeys(
        {"format", "serial", "issuer", "not_before", "not_after", "scheme", "backends", "rules"});
    PolicyDocument doc;
    const std::string format = r.string("format");
    if (!r.failed() && format != kFormat)
        r.fail("'format' is '" + format + "'; this version of Conclave reads '" +
               std::string(kFormat) + "'");
    doc.serial = r.positiveInteger("serial");
    doc.issuer = r.string("issuer");
    doc.notBefore = readTime(r, "not_before");
    doc.notAfter = readTime(r, "not_after");
    if (!r.failed() && doc.notAfter <= doc.notBefore)
        r.fail("'not_after' must be later than 'not_before'");
    if (!r.failed() && !root.contains(QLatin1String("scheme")))
        r.fail(
            "the policy has no 'scheme'; it is required (use \"uk-gsc-2023\" for the UK scheme)");
    if (error)
        return *error;

    auto scheme = schemeFromJson(root.value(QLatin1String("scheme")), "scheme");
    if (!scheme)
        return scheme.error();
    doc.scheme = std::move(scheme).value();

    BackendReader backendReader(doc.scheme, error);
    const QJsonArray backends = r.array("backends");
    std::set<std::string> ids, pins;
    for (qsizetype i = 0; i < backends.size() && !error; ++i) {
        const std::string path = "backends[" + std::to_string(i) + "]";
        Backend b = backendReader.read(backends[i], path);
        if (error)
            break;
        if (!ids.insert(b.id).second)
            r.fail("'" + path + ".id' repeats backend id '" + b.id + "'; ids must be unique");
        for (const auto& e : b.endpoints)
            for (const auto& pin : e.spkiSha256)
                if (!pins.insert(pin).second)
                    r.fail("'" + path + "' reuses the pin " + pin +
                           "; a TLS key identifies exactly one backend endpoint");
        doc.backends.push_back(std::move(b));
    }

    const QJsonObject rules = r.object("rules");
    for (auto it = rules.begin(); it != rules.end() && !error; ++it) {
        const std::string grade = it.key().toStdString();
        const auto index = doc.scheme.gradeIndex(grade);
        if (!index) {
            r.fail("'rules' has an entry for '" + grade + "', which is not a grade of the scheme");
            break;
        }
        doc.rulesByGrade[*index] = readRules(it.value(), grade, "rules." + grade, error);
    }
    if (error)
        return *error;
    return doc;
}

} // namespace conclave::policy
