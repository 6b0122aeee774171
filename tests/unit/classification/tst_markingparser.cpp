// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestSchemes.h"
#include "classification/Marking.h"
#include "classification/MarkingParser.h"
#include "classification/Scheme.h"

#include <QtTest>

using namespace conclave::classification;
using namespace conclave::classification::testschemes;

namespace {

conclave::Result<ParsedMarking> parse(const QString& schemeName, const QByteArray& text)
{
    return MarkingParser(scheme(schemeName)).parse(std::string_view(text.constData(), text.size()));
}

QByteArray u8(const QString& s)
{
    return s.toUtf8();
}

QString joined(const std::vector<std::string>& list)
{
    QStringList out;
    for (const auto& item : list)
        out << QString::fromStdString(item);
    return out.join('|');
}

QString allCorrections(const ParsedMarking& p)
{
    return joined(p.corrections);
}

/// 256 bytes exactly; its canonical form is 3 bytes longer ("T09:00Z" -> " 09:00 UTC").
QByteArray embargoAtLimit(bool compact)
{
    const QByteArray tail = compact ? " USE ONLY EMBARGOED UNTIL 2026-12-01T09:00Z"
                                    : " USE ONLY EMBARGOED UNTIL 2026-12-01 09:00 UTC";
    const QByteArray head = "OFFICIAL ";
    return head + QByteArray(int(MarkingParser::kMaxLength) - head.size() - tail.size(), 'A') +
           tail;
}

} // namespace

class TestMarkingParser : public QObject {
    Q_OBJECT

private slots:
    void accepts_data();
    void accepts();
    void refuses_data();
    void refuses();
    void fields_data();
    void fields();
    void lengthLimit();
};

void TestMarkingParser::accepts_data()
{
    QTest::addColumn<QString>("schemeName");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("canonical");
    // Empty: the input must already be canonical (no corrections). Otherwise a fragment of
    // the correction that must be reported.
    QTest::addColumn<QString>("correction");

    const auto canonical = [](const char* name, const char* schemeName, const char* text) {
        QTest::newRow(name) << schemeName << QByteArray(text) << text << QString();
    };
    canonical("official", "uk", "OFFICIAL");
    canonical("official-sensitive", "uk", "OFFICIAL-SENSITIVE");
    canonical("secret", "uk", "SECRET");
    canonical("top secret", "uk", "TOP SECRET");
    canonical("recipients only", "uk", "OFFICIAL RECIPIENTS ONLY");
    canonical("personal data", "uk", "OFFICIAL-SENSITIVE PERSONAL DATA");
    canonical("lpp", "uk", "OFFICIAL-SENSITIVE LEGAL PROFESSIONAL PRIVILEGE");
    canonical("legal", "uk", "OFFICIAL-SENSITIVE LEGAL");
    canonical("market sensitive", "uk", "OFFICIAL-SENSITIVE MARKET SENSITIVE");
    canonical("market sensitive on official", "uk", "OFFICIAL MARKET SENSITIVE");
    canonical("commercial", "uk", "OFFICIAL-SENSITIVE COMMERCIAL");
    canonical("hr/management", "uk", "OFFICIAL-SENSITIVE HR/MANAGEMENT");
    canonical("lpp then legal", "uk", "OFFICIAL-SENSITIVE LEGAL PROFESSIONAL PRIVILEGE LEGAL");
    canonical("all descriptors", "uk",
              "OFFICIAL-SENSITIVE PERSONAL DATA LEGAL PROFESSIONAL PRIVILEGE LEGAL MARKET "
              "SENSITIVE COMMERCIAL HR/MANAGEMENT");
    canonical("public release", "uk", "OFFICIAL FOR PUBLIC RELEASE");
    canonical("public release embargoed", "uk",
              "OFFICIAL FOR PUBLIC RELEASE EMBARGOED UNTIL 2026-12-01 09:00 UTC");
    canonical("embargo leap day", "uk", "OFFICIAL EMBARGOED UNTIL 2028-02-29 23:59 UTC");
    canonical("hmg use only", "uk", "OFFICIAL HMG USE ONLY");
    canonical("hmrc use only", "uk", "OFFICIAL-SENSITIVE HMRC USE ONLY");
    canonical("cabinet office use only", "uk", "OFFICIAL-SENSITIVE CABINET OFFICE USE ONLY");
    canonical("four-word org with &", "uk", "OFFICIAL HM REVENUE & CUSTOMS USE ONLY");
    canonical("uk eyes only", "uk", "SECRET UK EYES ONLY");
    canonical("uk/us eyes only", "uk", "SECRET UK/US EYES ONLY");
    canonical("five eyes top secret", "uk", "TOP SECRET FIVE EYES ONLY");
    canonical("caveat handling descriptor", "uk",
              "SECRET UK EYES ONLY RECIPIENTS ONLY PERSONAL DATA");
    canonical("full handling group", "uk",
              "OFFICIAL-SENSITIVE RECIPIENTS ONLY HMRC USE ONLY EMBARGOED UNTIL 2026-12-01 09:00 "
              "UTC MARKET SENSITIVE");
    canonical("top secret everything", "uk",
              "TOP SECRET UK EYES ONLY RECIPIENTS ONLY LEGAL PROFESSIONAL PRIVILEGE HR/MANAGEMENT");
    canonical("codeword", "ukcw", "SECRET NIGHTJAR");
    canonical("two codewords and caveat", "ukcw", "TOP SECRET NIGHTJAR KESTREL UK EYES ONLY");
    canonical("codeword caveat handling", "ukcw",
              "TOP SECRET NIGHTJAR UK EYES ONLY RECIPIENTS ONLY");
    canonical("nato unclassified", "nato", "NATO UNCLASSIFIED");
    canonical("nato restricted", "nato", "NATO RESTRICTED");
    canonical("nato confidential", "nato", "NATO CONFIDENTIAL");
    canonical("nato secret", "nato", "NATO SECRET");
    canonical("cosmic top secret", "nato", "COSMIC TOP SECRET");
    canonical("nato caveat handling descriptor", "nato",
              "NATO SECRET RELEASABLE TO EU EXERCISE ONLY ATOMAL");

    const auto fixed = [](const char* name, const char* schemeName, const QByteArray& text,
                          const char* expected, const char* correction) {
        QTest::newRow(name) << schemeName << text << expected << correction;
    };
    fixed("lower case", "uk", "official", "OFFICIAL", "capitals");
    fixed("mixed case", "uk", "Official-Sensitive", "OFFICIAL-SENSITIVE", "capitals");
    fixed("lower case multi-word", "uk", "top secret uk eyes only", "TOP SECRET UK EYES ONLY",
          "capitals");
    fixed("lower case org", "uk", "official-sensitive hmrc use only",
          "OFFICIAL-SENSITIVE HMRC USE ONLY", "capitals");
    fixed("leading and trailing spaces", "uk", "  OFFICIAL  ", "OFFICIAL", "before and after");
    fixed("repeated spaces", "uk", "OFFICIAL   RECIPIENTS  ONLY", "OFFICIAL RECIPIENTS ONLY",
          "repeated spaces");
    fixed("tab", "uk", "OFFICIAL\tRECIPIENTS ONLY", "OFFICIAL RECIPIENTS ONLY", "tabs");
    fixed("nbsp", "uk", u8(QStringLiteral("TOP\u00A0SECRET")), "TOP SECRET", "U+00A0");
    fixed("em space", "uk", u8(QStringLiteral("TOP\u2003SECRET")), "TOP SECRET", "U+2003");
    const char16_t hyphens[] = {0x2010, 0x2011, 0x2012, 0x2013, 0x2014,
                                0x2015, 0x2212, 0xFE58, 0xFE63, 0xFF0D};
    for (char16_t h : hyphens) {
        const QString code = QStringLiteral("U+%1").arg(int(h), 4, 16, QChar('0')).toUpper();
        QTest::newRow(qPrintable("look-alike hyphen " + code))
            << "uk" << u8(QStringLiteral("OFFICIAL") + QChar(h) + QStringLiteral("SENSITIVE"))
            << "OFFICIAL-SENSITIVE" << code;
    }
    fixed("spaces around hyphen", "uk", "OFFICIAL - SENSITIVE", "OFFICIAL-SENSITIVE",
          "'OFFICIAL - SENSITIVE'");
    fixed("space before hyphen", "uk", "OFFICIAL -SENSITIVE", "OFFICIAL-SENSITIVE", "around '-'");
    fixed("spaced en dash", "uk", u8(QStringLiteral("official \u2013 sensitive")),
          "OFFICIAL-SENSITIVE", "U+2013");
    fixed("space for hyphen", "uk", "OFFICIAL SENSITIVE", "OFFICIAL-SENSITIVE", "with a hyphen");
    fixed("space for hyphen lower", "uk", "official sensitive personal data",
          "OFFICIAL-SENSITIVE PERSONAL DATA", "with a hyphen");
    fixed("space for hyphen then market sensitive", "uk", "OFFICIAL SENSITIVE MARKET SENSITIVE",
          "OFFICIAL-SENSITIVE MARKET SENSITIVE", "with a hyphen");
    fixed("spaces around slash caveat", "uk", "SECRET UK / US EYES ONLY", "SECRET UK/US EYES ONLY",
          "around '/'");
    fixed("spaces around slash descriptor", "uk", "OFFICIAL-SENSITIVE HR / MANAGEMENT",
          "OFFICIAL-SENSITIVE HR/MANAGEMENT", "'HR / MANAGEMENT'");
    fixed("handling reordered", "uk",
          "OFFICIAL EMBARGOED UNTIL 2026-12-01 09:00 UTC FOR PUBLIC RELEASE",
          "OFFICIAL FOR PUBLIC RELEASE EMBARGOED UNTIL 2026-12-01 09:00 UTC",
          "handling instructions in the standard order");
    fixed("org after fixed phrase", "uk", "OFFICIAL HMRC USE ONLY RECIPIENTS ONLY",
          "OFFICIAL RECIPIENTS ONLY HMRC USE ONLY", "standard order");
    fixed("descriptors reordered", "uk", "OFFICIAL-SENSITIVE COMMERCIAL PERSONAL DATA",
          "OFFICIAL-SENSITIVE PERSONAL DATA COMMERCIAL", "descriptors in the standard order");
    fixed("legal before lpp", "uk", "OFFICIAL-SENSITIVE LEGAL LEGAL PROFESSIONAL PRIVILEGE",
          "OFFICIAL-SENSITIVE LEGAL PROFESSIONAL PRIVILEGE LEGAL", "descriptors");
    fixed("codewords reordered", "ukcw", "TOP SECRET KESTREL NIGHTJAR",
          "TOP SECRET NIGHTJAR KESTREL", "codewords in the standard order");
    fixed("embargo iso compact", "uk", "OFFICIAL EMBARGOED UNTIL 2026-12-01T09:00Z",
          "OFFICIAL EMBARGOED UNTIL 2026-12-01 09:00 UTC", "2026-12-01T09:00Z");
    fixed("embargo iso lower case", "uk", "official embargoed until 2026-12-01t09:00z",
          "OFFICIAL EMBARGOED UNTIL 2026-12-01 09:00 UTC", "capitals");
    fixed("embargo z with space", "uk", "OFFICIAL EMBARGOED UNTIL 2026-12-01 09:00Z",
          "OFFICIAL EMBARGOED UNTIL 2026-12-01 09:00 UTC", "wrote the embargo");
    fixed("embargo T with utc", "uk", "OFFICIAL EMBARGOED UNTIL 2026-12-01T09:00 UTC",
          "OFFICIAL EMBARGOED UNTIL 2026-12-01 09:00 UTC", "wrote the embargo");
    fixed("nato lower case", "nato", "cosmic top secret", "COSMIC TOP SECRET", "capitals");
    fixed("nato spaced", "nato", " NATO  SECRET ", "NATO SECRET", "before and after");
}

void TestMarkingParser::accepts()
{
    QFETCH(QString, schemeName);
    QFETCH(QByteArray, input);
    QFETCH(QString, canonical);
    QFETCH(QString, correction);

    const auto result = parse(schemeName, input);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
    QCOMPARE(QString::fromStdString(result->marking.canonical), canonical);
    if (correction.isEmpty()) {
        QVERIFY2(result->corrections.empty(), qPrintable(allCorrections(*result)));
    } else {
        QVERIFY(!result->corrections.empty());
        QVERIFY2(allCorrections(*result).contains(correction), qPrintable(allCorrections(*result)));
    }

    // The canonical form is a fixed point: parsing it changes nothing.
    const auto again = parse(schemeName, canonical.toUtf8());
    QVERIFY(again.ok());
    QCOMPARE(again->marking.canonical, result->marking.canonical);
    QVERIFY2(again->corrections.empty(), qPrintable(allCorrections(*again)));
}

void TestMarkingParser::refuses_data()
{
    QTest::addColumn<QString>("schemeName");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("mention"); // must appear in the message

    const auto bad = [](const char* name, const char* schemeName, const QByteArray& text,
                        const char* code, const QString& mention) {
        QTest::newRow(name) << schemeName << text << QString("marking.") + code << mention;
    };
    // Text-level refusals
    bad("empty", "uk", "", "empty", "empty");
    bad("only spaces", "uk", "   \t ", "empty", "OFFICIAL, SECRET or TOP SECRET");
    bad("too long", "uk", "OFFICIAL " + QByteArray(250, 'A'), "too_long", "259 bytes");
    bad("invalid utf-8 byte", "uk", "OFFICIAL \xFF", "invalid_utf8", "0xFF");
    bad("truncated utf-8", "uk", "OFFICIAL\xE2\x80", "invalid_utf8", "0xE2");
    bad("overlong utf-8", "uk", "OFFICIAL\xC0\xAD", "invalid_utf8", "0xC0");
    bad("utf-8 surrogate", "uk", "OFFICIAL\xED\xA0\x80", "invalid_utf8", "0xED");
    bad("newline", "uk", "OFFICIAL\nSENSITIVE", "control_character", "U+000A");
    bad("nul", "uk", QByteArray("OFFICIAL\0", 9), "control_character", "U+0000");
    bad("delete", "uk", "OFFICIAL\x7F", "control_character", "U+007F");
    bad("c1 control", "uk", u8(QStringLiteral("OFFICIAL\u0085")), "control_character", "U+0085");
    bad("cyrillic look-alike", "uk", u8(QStringLiteral("S\u0415CRET")), "character_not_allowed",
        "character U+0415 at position 2 is not allowed; markings use the letters A-Z");
    bad("greek look-alike", "uk", u8(QStringLiteral("T\u039FP SECRET")), "character_not_allowed",
        "U+039F");
    bad("fullwidth letter", "uk", u8(QStringLiteral("\uFF2FFFICIAL")), "character_not_allowed",
        "U+FF2F at position 1");
    bad("zero-width space", "uk", u8(QStringLiteral("OFFI\u200BCIAL")), "character_not_allowed",
        "U+200B");
    bad("bidi override", "uk", u8(QStringLiteral("\u202ESECRET")), "character_not_allowed",
        "U+202E");
    bad("comma", "uk", "OFFICIAL, RECIPIENTS ONLY", "character_not_allowed", "','");
    bad("accented letter", "uk", u8(QStringLiteral("OFFICI\u00C9L")), "character_not_allowed",
        "U+00C9");

    // Level
    bad("no level", "uk", "RECIPIENTS ONLY", "missing_level", "'RECIPIENTS ONLY'");
    bad("misspelt level", "uk", "SEKRET", "missing_level", "'SEKRET'");
    bad("hyphenated top secret", "uk", "TOP-SECRET", "missing_level", "'TOP-SECRET'");
    bad("level not first", "uk", "RECIPIENTS ONLY OFFICIAL", "level_not_first", "'OFFICIAL'");
    bad("caveat before level", "uk", "UK EYES ONLY SECRET", "level_not_first", "'SECRET'");
    bad("two levels", "uk", "OFFICIAL SECRET", "two_levels", "'SECRET'");
    bad("two levels top secret", "uk", "SECRET TOP SECRET", "two_levels", "'TOP SECRET'");
    bad("level repeated", "uk", "OFFICIAL OFFICIAL-SENSITIVE", "two_levels",
        "'OFFICIAL-SENSITIVE'");

    // -SENSITIVE
    bad("secret-sensitive", "uk", "SECRET-SENSITIVE", "sensitive_not_allowed",
        "-SENSITIVE applies only to OFFICIAL");
    bad("top secret-sensitive", "uk", "TOP SECRET-SENSITIVE", "sensitive_not_allowed",
        "'TOP SECRET-SENSITIVE'");
    bad("secret sensitive spaced", "uk", "SECRET SENSITIVE", "sensitive_not_allowed",
        "'SECRET-SENSITIVE'");
    bad("wrong suffix", "uk", "OFFICIAL-SECRET", "bad_suffix", "'OFFICIAL-SECRET'");
    bad("dangling hyphen", "uk", "OFFICIAL-", "bad_suffix", "'OFFICIAL-'");
    bad("suffix later", "uk", "OFFICIAL RECIPIENTS ONLY SENSITIVE", "misplaced_suffix",
        "'SENSITIVE'");
    bad("hyphen inside phrase", "uk", "OFFICIAL RECIPIENTS-ONLY", "misplaced_hyphen",
        "'RECIPIENTS-ONLY'");

    // Unknown words are never codewords unless registered
    bad("unknown word", "uk", "OFFICIAL BANANA", "unknown_word", "'BANANA'");
    bad("unregistered codeword", "uk", "SECRET NIGHTJAR", "unknown_word",
        "if it is a codeword, the policy must register it");
    bad("unknown word among known", "uk", "OFFICIAL RECIPIENTS ONLY BANANA PERSONAL DATA",
        "unknown_word", "'BANANA'");
    bad("unknown word with caveat", "ukcw", "SECRET NIGHTJAR OSPREY", "unknown_word", "'OSPREY'");

    // Duplicates
    bad("duplicate handling", "uk", "OFFICIAL RECIPIENTS ONLY RECIPIENTS ONLY", "duplicate",
        "'RECIPIENTS ONLY'");
    bad("duplicate descriptor", "uk", "OFFICIAL-SENSITIVE PERSONAL DATA PERSONAL DATA", "duplicate",
        "'PERSONAL DATA'");
    bad("duplicate caveat", "uk", "SECRET UK EYES ONLY UK EYES ONLY", "duplicate",
        "'UK EYES ONLY'");
    bad("duplicate codeword", "ukcw", "SECRET NIGHTJAR NIGHTJAR", "duplicate", "'NIGHTJAR'");
    bad("duplicate org", "uk", "OFFICIAL HMRC USE ONLY HMRC USE ONLY", "duplicate",
        "'HMRC USE ONLY'");
    bad("two orgs", "uk", "OFFICIAL HMRC USE ONLY DWP USE ONLY", "duplicate", "'DWP USE ONLY'");
    bad("hmg and org", "uk", "OFFICIAL HMG USE ONLY HMRC USE ONLY", "duplicate", "'HMG USE ONLY'");
    bad("two embargoes", "uk",
        "OFFICIAL EMBARGOED UNTIL 2026-12-01 09:00 UTC EMBARGOED UNTIL 2026-12-02 09:00 UTC",
        "duplicate", "two embargoes");
    bad("two caveats", "uk", "SECRET UK EYES ONLY FIVE EYES ONLY", "two_caveats",
        "'FIVE EYES ONLY'");

    // Group order
    bad("descriptor before handling", "uk", "OFFICIAL-SENSITIVE PERSONAL DATA RECIPIENTS ONLY",
        "order",
        "descriptor 'PERSONAL DATA' must come after handling instruction 'RECIPIENTS ONLY'");
    bad("caveat after handling", "uk", "SECRET RECIPIENTS ONLY UK EYES ONLY", "order",
        "handling instruction 'RECIPIENTS ONLY' must come after national caveat 'UK EYES ONLY'");
    bad("codeword after caveat", "ukcw", "SECRET UK EYES ONLY NIGHTJAR", "order",
        "national caveat 'UK EYES ONLY' must come after codeword 'NIGHTJAR'");
    bad("org after descriptor", "uk", "OFFICIAL PERSONAL DATA HMRC USE ONLY", "order",
        "'HMRC USE ONLY'");
    bad("embargo after descriptor", "uk",
        "OFFICIAL PERSONAL DATA EMBARGOED UNTIL 2026-12-01 09:00 UTC", "order",
        "'EMBARGOED UNTIL 2026-12-01 09:00 UTC'");

    // Level-dependent rules
    bad("caveat on official", "uk", "OFFICIAL UK EYES ONLY", "caveat_level",
        "only allowed on SECRET and TOP SECRET");
    bad("caveat on official-sensitive", "uk", "OFFICIAL-SENSITIVE FIVE EYES ONLY", "caveat_level",
        "'FIVE EYES ONLY'");
    bad("codeword on official", "ukcw", "OFFICIAL NIGHTJAR", "codeword_level", "'NIGHTJAR'");
    bad("public release on secret", "uk", "SECRET FOR PUBLIC RELEASE", "handling_level",
        "'FOR PUBLIC RELEASE' is only allowed on OFFICIAL");
    bad("public release with sensitive", "uk", "OFFICIAL-SENSITIVE FOR PUBLIC RELEASE",
        "handling_sensitive", "-SENSITIVE");
    bad("public release and recipients", "uk", "OFFICIAL RECIPIENTS ONLY FOR PUBLIC RELEASE",
        "handling_conflict", "'RECIPIENTS ONLY'");
    bad("public release and org", "uk", "OFFICIAL FOR PUBLIC RELEASE HMRC USE ONLY",
        "handling_conflict", "'HMRC USE ONLY'");
    bad("public release and hmg", "uk", "OFFICIAL HMG USE ONLY FOR PUBLIC RELEASE",
        "handling_conflict", "'HMG USE ONLY'");

    // <ORG> USE ONLY
    bad("use only without org", "uk", "OFFICIAL USE ONLY", "use_only_without_org", "'USE ONLY'");
    bad("use only after phrase", "uk", "OFFICIAL RECIPIENTS ONLY USE ONLY", "use_only_without_org",
        "'USE ONLY'");
    bad("org too long", "uk", "OFFICIAL ONE TWO THREE FOUR FIVE USE ONLY", "org_name",
        "'ONE TWO THREE FOUR FIVE'");
    bad("org with colon", "uk", "OFFICIAL HR:X USE ONLY", "org_name", "'HR:X'");

    // EMBARGOED
    bad("embargo alone", "uk", "OFFICIAL EMBARGOED", "embargo_missing", "'EMBARGOED'");
    bad("embargo until alone", "uk", "OFFICIAL EMBARGOED UNTIL", "embargo_missing",
        "EMBARGOED UNTIL 2026-12-01 09:00 UTC");
    bad("embargo then descriptor", "uk", "OFFICIAL EMBARGOED PERSONAL DATA", "embargo_missing",
        "'PERSONAL'");
    bad("embargo without until", "uk", "OFFICIAL EMBARGOED 2026-12-01 09:00 UTC", "embargo_format",
        "'UNTIL'");
    bad("embargo date only", "uk", "OFFICIAL EMBARGOED UNTIL 2026-12-01", "embargo_missing",
        "a time");
    bad("embargo no zone", "uk", "OFFICIAL EMBARGOED UNTIL 2026-12-01 09:00", "embargo_timezone",
        "give the time in UTC");
    bad("embargo bst", "uk", "OFFICIAL EMBARGOED UNTIL 2026-12-01 09:00 BST", "embargo_timezone",
        "give the time in UTC");
    bad("embargo offset", "uk", "OFFICIAL EMBARGOED UNTIL 2026-12-01T09:00+01:00",
        "embargo_timezone", "'+01:00'");
    bad("embargo 30 february", "uk", "OFFICIAL EMBARGOED UNTIL 2026-02-30 09:00 UTC",
        "embargo_date", "'2026-02-30'");
    bad("embargo 29 february non-leap", "uk", "OFFICIAL EMBARGOED UNTIL 2027-02-29 09:00 UTC",
        "embargo_date", "'2027-02-29'");
    bad("embargo month 13", "uk", "OFFICIAL EMBARGOED UNTIL 2026-13-01 09:00 UTC", "embargo_date",
        "'2026-13-01'");
    bad("embargo short year", "uk", "OFFICIAL EMBARGOED UNTIL 26-12-01 09:00 UTC", "embargo_date",
        "YYYY-MM-DD");
    bad("embargo hour 24", "uk", "OFFICIAL EMBARGOED UNTIL 2026-12-01 24:00 UTC", "embargo_time",
        "'24:00'");
    bad("embargo minute 60", "uk", "OFFICIAL EMBARGOED UNTIL 2026-12-01 09:60 UTC", "embargo_time",
        "'09:60'");
    bad("embargo one-digit hour", "uk", "OFFICIAL EMBARGOED UNTIL 2026-12-01 9:00 UTC",
        "embargo_time", "'9:00'");
    bad("embargo seconds", "uk", "OFFICIAL EMBARGOED UNTIL 2026-12-01T09:00:00Z", "embargo_time",
        "HH:MM");

    // The scheme decides the words: UK words under NATO and NATO words under UK
    bad("uk level under nato", "nato", "OFFICIAL", "missing_level", "'OFFICIAL'");
    bad("top secret under nato", "nato", "TOP SECRET", "missing_level", "NATO UNCLASSIFIED");
    bad("uk caveat under nato", "nato", "NATO SECRET UK EYES ONLY", "unknown_word", "'UK'");
    bad("suffix under nato", "nato", "NATO SECRET-SENSITIVE", "bad_suffix", "no suffix");
    bad("sensitive word under nato", "nato", "NATO RESTRICTED SENSITIVE", "unknown_word",
        "'SENSITIVE'");
    bad("org use only under nato", "nato", "NATO RESTRICTED HMRC USE ONLY", "unknown_word",
        "'HMRC'");
    bad("embargo under nato", "nato", "NATO RESTRICTED EMBARGOED UNTIL 2026-12-01 09:00 UTC",
        "unknown_word", "'EMBARGOED'");
    bad("uk descriptor under nato", "nato", "NATO SECRET PERSONAL DATA", "unknown_word",
        "'PERSONAL'");
    bad("nato caveat too low", "nato", "NATO RESTRICTED RELEASABLE TO EU", "caveat_level",
        "NATO CONFIDENTIAL, NATO SECRET and COSMIC TOP SECRET");
    bad("nato level under uk", "uk", "NATO SECRET", "level_not_first", "'NATO'");
    bad("cosmic under uk", "uk", "COSMIC TOP SECRET", "level_not_first", "'COSMIC'");
    bad("nato restricted under uk", "uk", "NATO RESTRICTED", "missing_level", "'NATO'");
    bad("nato caveat under uk", "uk", "SECRET RELEASABLE TO EU", "unknown_word", "'RELEASABLE'");
    bad("nato descriptor under uk", "uk", "SECRET ATOMAL", "unknown_word", "'ATOMAL'");
}

void TestMarkingParser::refuses()
{
    QFETCH(QString, schemeName);
    QFETCH(QByteArray, input);
    QFETCH(QString, code);
    QFETCH(QString, mention);

    const auto result = parse(schemeName, input);
    QVERIFY2(!result.ok(), result.ok() ? result->marking.canonical.c_str() : "");
    const QString message = QString::fromStdString(result.error().message);
    QCOMPARE(QString::fromStdString(result.error().code), code);
    QVERIFY2(message.contains(mention), qPrintable(message));
}

void TestMarkingParser::fields_data()
{
    QTest::addColumn<QString>("schemeName");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("level");
    QTest::addColumn<bool>("sensitive");
    QTest::addColumn<QString>("codewords");
    QTest::addColumn<QString>("caveat");
    QTest::addColumn<QString>("handling");
    QTest::addColumn<QString>("descriptors");

    QTest::newRow("official") << "uk" << QByteArray("OFFICIAL") << 0 << false << ""
                              << ""
                              << ""
                              << "";
    QTest::newRow("sensitive with everything")
        << "uk"
        << QByteArray("official sensitive embargoed until 2026-12-01t09:00z hmrc use only "
                      "recipients only market sensitive")
        << 0 << true << ""
        << ""
        << "RECIPIENTS ONLY|HMRC USE ONLY|EMBARGOED UNTIL 2026-12-01 09:00 UTC"
        << "MARKET SENSITIVE";
    QTest::newRow("top secret codewords")
        << "ukcw" << QByteArray("TOP SECRET KESTREL NIGHTJAR UK/US EYES ONLY LEGAL") << 2 << false
        << "NIGHTJAR|KESTREL"
        << "UK/US EYES ONLY"
        << ""
        << "LEGAL";
    QTest::newRow("nato") << "nato" << QByteArray("COSMIC TOP SECRET RELEASABLE TO AUS ATOMAL") << 4
                          << false << ""
                          << "RELEASABLE TO AUS"
                          << ""
                          << "ATOMAL";
}

void TestMarkingParser::fields()
{
    QFETCH(QString, schemeName);
    QFETCH(QByteArray, input);
    QFETCH(int, level);
    QFETCH(bool, sensitive);
    QFETCH(QString, codewords);
    QFETCH(QString, caveat);
    QFETCH(QString, handling);
    QFETCH(QString, descriptors);

    const auto result = parse(schemeName, input);
    QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
    const Marking& m = result->marking;
    QCOMPARE(int(m.level), level);
    QCOMPARE(m.sensitive, sensitive);
    QCOMPARE(joined(m.codewords), codewords);
    QCOMPARE(QString::fromStdString(m.caveat.value_or("")), caveat);
    QCOMPARE(m.caveat.has_value(), !caveat.isEmpty());
    QCOMPARE(joined(m.handlingInstructions), handling);
    QCOMPARE(joined(m.descriptors), descriptors);
}

void TestMarkingParser::lengthLimit()
{
    // At the limit the text is accepted...
    const QByteArray atLimit = embargoAtLimit(false);
    QCOMPARE(atLimit.size(), int(MarkingParser::kMaxLength));
    const auto ok = parse("uk", atLimit);
    QVERIFY2(ok.ok(), ok.ok() ? "" : ok.error().message.c_str());
    QVERIFY(ok->corrections.empty());

    // ...one byte over it is not, whatever it contains...
    const auto over = parse("uk", atLimit + " ");
    QVERIFY(!over.ok());
    QCOMPARE(QString::fromStdString(over.error().code), QString("marking.too_long"));

    // ...and nor is text whose canonical spelling would be too long to parse back.
    const QByteArray compact = embargoAtLimit(true);
    QCOMPARE(compact.size(), int(MarkingParser::kMaxLength));
    const auto grown = parse("uk", compact);
    QVERIFY(!grown.ok());
    QCOMPARE(QString::fromStdString(grown.error().code), QString("marking.too_long"));
    QVERIFY(QString::fromStdString(grown.error().message).contains("259"));
}

QTEST_GUILESS_MAIN(TestMarkingParser)
#include "tst_markingparser.moc"
