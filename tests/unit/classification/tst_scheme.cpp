// SPDX-License-Identifier: GPL-3.0-or-later
#include "TestSchemes.h"
#include "classification/Marking.h"
#include "classification/MarkingParser.h"
#include "classification/Scheme.h"

#include <QtTest>

#include <functional>

using namespace conclave::classification;
using namespace conclave::classification::testschemes;

namespace {

conclave::Result<ParsedMarking> parse(const QString& schemeName, const QByteArray& text)
{
    return MarkingParser(scheme(schemeName)).parse(std::string_view(text.constData(), text.size()));
}

QString joined(const std::vector<std::string>& list)
{
    QStringList out;
    for (const auto& item : list)
        out << QString::fromStdString(item);
    return out.join('|');
}

} // namespace

/// Scheme consistency and what a Marking means for approval (grades, jurisdictions).
class TestScheme : public QObject {
    Q_OBJECT

private slots:
    void approvalGradeOrdering();
    void everyGradeIsACanonicalMarking();
    void requiredJurisdictionsFollowCaveat_data();
    void requiredJurisdictionsFollowCaveat();
    void schemeValidation_data();
    void schemeValidation();
};

void TestScheme::approvalGradeOrdering()
{
    const Scheme& uk = scheme("uk");
    const std::vector<std::string> expected = {"OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET",
                                               "TOP SECRET"};
    QCOMPARE(uk.approvalGrades(), expected);

    const QByteArray inputs[] = {"OFFICIAL RECIPIENTS ONLY", "OFFICIAL-SENSITIVE PERSONAL DATA",
                                 "SECRET UK EYES ONLY", "TOP SECRET"};
    for (size_t i = 0; i < std::size(inputs); ++i) {
        const auto result = parse("uk", inputs[i]);
        QVERIFY(result.ok());
        QCOMPARE(approvalGrade(uk, result->marking), i);
        QCOMPARE(approvalGradeName(uk, result->marking), expected[i]);
    }
    QVERIFY(approvalGrade(uk, parse("uk", "OFFICIAL")->marking) <
            approvalGrade(uk, parse("uk", "OFFICIAL-SENSITIVE")->marking));
    QVERIFY(approvalGrade(uk, parse("uk", "OFFICIAL-SENSITIVE")->marking) <
            approvalGrade(uk, parse("uk", "SECRET")->marking));
    QCOMPARE(levelOf(uk, parse("uk", "TOP SECRET")->marking).name, std::string("TOP SECRET"));

    // A scheme without a suffix grades by level alone.
    const Scheme& nato = scheme("nato");
    QCOMPARE(nato.approvalGrades().size(), size_t(5));
    QCOMPARE(approvalGrade(nato, parse("nato", "COSMIC TOP SECRET")->marking), size_t(4));
    QCOMPARE(approvalGrade(nato, parse("nato", "NATO RESTRICTED")->marking), size_t(1));
}

void TestScheme::everyGradeIsACanonicalMarking()
{
    // core/policy reads a backend's max_marking and app/ reports per grade by parsing the grade
    // names, so each must parse to itself, unchanged, with the grade it names.
    for (const char* name : {"uk", "nato"}) {
        const Scheme& s = scheme(name);
        const auto grades = s.approvalGrades();
        for (size_t i = 0; i < grades.size(); ++i) {
            const auto result = parse(name, QByteArray::fromStdString(grades[i]));
            QVERIFY2(result.ok(), grades[i].c_str());
            QCOMPARE(result->marking.canonical, grades[i]);
            QVERIFY(result->corrections.empty());
            QCOMPARE(approvalGrade(s, result->marking), i);
            QCOMPARE(s.gradeIndex(grades[i]), std::optional<size_t>(i));
        }
    }
}

void TestScheme::requiredJurisdictionsFollowCaveat_data()
{
    QTest::addColumn<QString>("schemeName");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("jurisdictions");

    QTest::newRow("no caveat") << "uk" << QByteArray("TOP SECRET RECIPIENTS ONLY") << "";
    QTest::newRow("uk eyes only") << "uk" << QByteArray("SECRET UK EYES ONLY") << "GB";
    QTest::newRow("uk/us eyes only") << "uk" << QByteArray("SECRET UK / US EYES ONLY") << "GB|US";
    QTest::newRow("five eyes only")
        << "uk" << QByteArray("TOP SECRET FIVE EYES ONLY") << "GB|US|CA|AU|NZ";
    QTest::newRow("nato caveat") << "nato" << QByteArray("NATO SECRET RELEASABLE TO AUS") << "AU";
}

void TestScheme::requiredJurisdictionsFollowCaveat()
{
    QFETCH(QString, schemeName);
    QFETCH(QByteArray, input);
    QFETCH(QString, jurisdictions);

    const auto result = parse(schemeName, input);
    QVERIFY(result.ok());
    QCOMPARE(joined(requiredJurisdictions(scheme(schemeName), result->marking)), jurisdictions);
}

namespace {

struct SchemeCase {
    const char* name;
    std::function<void(Scheme&)> change;
    const char* mention; // nullptr: the scheme must be valid
};

const std::vector<SchemeCase>& schemeCases()
{
    static const std::vector<SchemeCase> cases = {
        {"uk is valid", [](Scheme&) {}, nullptr},
        {"nato is valid", [](Scheme& s) { s = natoScheme(); }, nullptr},
        {"codewords are valid", [](Scheme& s) { s = ukWithCodewords(); }, nullptr},
        {"no id", [](Scheme& s) { s.id.clear(); }, "no id"},
        {"no levels", [](Scheme& s) { s.levels.clear(); }, "no levels"},
        {"lower-case level", [](Scheme& s) { s.levels[0].name = "Official"; }, "'Official'"},
        {"double space", [](Scheme& s) { s.levels[2].name = "TOP  SECRET"; }, "'TOP  SECRET'"},
        {"bad colour", [](Scheme& s) { s.levels[1].background = "red"; }, "'SECRET'"},
        {"phrase twice", [](Scheme& s) { s.descriptors.push_back("RECIPIENTS ONLY"); },
         "defined twice"},
        {"sensitive level out of range", [](Scheme& s) { s.sensitiveLevels = {7}; },
         "out of range"},
        {"suffix lower case", [](Scheme& s) { s.sensitiveSuffix = "Sensitive"; }, "suffix"},
        {"suffix two words", [](Scheme& s) { s.sensitiveSuffix = "VERY SENSITIVE"; }, "suffix"},
        {"handling level out of range", [](Scheme& s) { s.handlingInstructions[2].maxLevel = 3; },
         "'FOR PUBLIC RELEASE'"},
        {"caveat without jurisdiction", [](Scheme& s) { s.caveats[0].jurisdictions.clear(); },
         "'UK EYES ONLY'"},
        {"codeword with space", [](Scheme& s) { s.codewords = {"NIGHT JAR"}; }, "'NIGHT JAR'"},
        {"codeword clashes with level", [](Scheme& s) { s.codewords = {"SECRET"}; },
         "defined twice"},
        {"caveat level out of range", [](Scheme& s) { s.caveatMinLevel = 3; }, "does not exist"},
    };
    return cases;
}

} // namespace

void TestScheme::schemeValidation_data()
{
    QTest::addColumn<int>("index");
    for (size_t i = 0; i < schemeCases().size(); ++i)
        QTest::newRow(schemeCases()[i].name) << int(i);
}

void TestScheme::schemeValidation()
{
    QFETCH(int, index);
    const SchemeCase& c = schemeCases().at(size_t(index));
    Scheme s = Scheme::ukGovernment();
    c.change(s);
    const auto error = s.validationError();
    if (!c.mention) {
        QVERIFY2(!error, error ? error->c_str() : "");
        return;
    }
    QVERIFY(error.has_value());
    QVERIFY2(QString::fromStdString(*error).contains(c.mention), error->c_str());
    // The parser refuses to work with a broken scheme rather than guess.
    const auto parsed = MarkingParser(s).parse("SECRET");
    QVERIFY(!parsed.ok());
    QCOMPARE(QString::fromStdString(parsed.error().code), QString("marking.scheme_invalid"));
}

QTEST_GUILESS_MAIN(TestScheme)
#include "tst_scheme.moc"
