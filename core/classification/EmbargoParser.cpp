// SPDX-License-Identifier: GPL-3.0-or-later
#include "classification/EmbargoParser.h"

#include "classification/MessageText.h"
#include "common/Iso8601.h"

#include <initializer_list>

namespace conclave::classification {
namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int digits(std::string_view text, size_t pos, size_t count)
{
    int value = 0;
    for (size_t i = pos; i < pos + count; ++i)
        value = value * 10 + (text[i] - '0');
    return value;
}

bool hasDigitsAt(std::string_view text, std::initializer_list<size_t> positions)
{
    for (size_t p : positions)
        if (p >= text.size() || !isDigit(text[p]))
            return false;
    return true;
}

std::string example()
{
    return concat({"write it as '", EmbargoParser::kExample, "'"});
}

Error missing(const std::string& what)
{
    return makeError("marking.embargo_missing",
                     concat({"'", EmbargoParser::kKeyword, "' needs ", what, "; ", example()}));
}

} // namespace

Result<EmbargoMatch> EmbargoParser::parse(const std::vector<std::string>& words, size_t pos)
{
    size_t i = pos + 1;
    if (i >= words.size())
        return missing("a date and time in UTC");
    if (words[i] != kUntil) {
        if (isDigit(words[i].front()))
            return makeError("marking.embargo_format",
                             concat({"write '", kUntil, "' before the embargo date '", words[i],
                                     "'; ", example()}));
        return missing(concat({"'", kUntil, "' and a date and time in UTC, not '", words[i], "'"}));
    }
    if (++i >= words.size())
        return missing(concat({"a date and time in UTC after '", kUntil, "'"}));

    // Either one word "2026-12-01T09:00Z" or the date and the time as separate words.
    std::string_view date = words[i];
    std::string_view time;
    bool timeInDateWord = false;
    if (date.size() > 10 && date[10] == 'T') {
        time = date.substr(11);
        date = date.substr(0, 10);
        timeInDateWord = true;
    }
    if (!isDigit(date.front()))
        return missing(concat({"a date and time in UTC, not '", date, "'"}));
    if (date.size() != 10 || date[4] != '-' || date[7] != '-' ||
        !hasDigitsAt(date, {0, 1, 2, 3, 5, 6, 8, 9}))
        return makeError(
            "marking.embargo_date",
            concat({"the embargo date '", date, "' is not written as YYYY-MM-DD; ", example()}));
    const int year = digits(date, 0, 4), month = digits(date, 5, 2), day = digits(date, 8, 2);
    if (!isValidDate(year, month, day))
        return makeError("marking.embargo_date",
                         concat({"the embargo date '", date, "' is not a real date"}));
    ++i;
    if (!timeInDateWord) {
        if (i >= words.size() || !isDigit(words[i].front()))
            return missing(concat({"a time as well as the date '", date, "'"}));
        time = words[i++];
    }

    if (time.empty())
        return missing(concat({"a time after the date '", date, "'"}));
    if (time.size() < 5 || time[2] != ':' || !hasDigitsAt(time, {0, 1, 3, 4}))
        return makeError(
            "marking.embargo_time",
            concat({"the embargo time '", time, "' is not written as HH:MM; ", example()}));
    const std::string_view hhmm = time.substr(0, 5);
    if (digits(time, 0, 2) > 23 || digits(time, 3, 2) > 59)
        return makeError(
            "marking.embargo_time",
            concat({"the embargo time '", hhmm, "' is not a time of day; use 00:00 to 23:59"}));
    const std::string_view zone = time.substr(5);
    bool utc = false;
    if (zone == "Z") {
        utc = true;
    } else if (!zone.empty() && (zone.front() == '+' || zone.front() == '-')) {
        return makeError("marking.embargo_timezone",
                         concat({"the embargo time has the offset '", zone,
                                 "'; give the time in UTC instead; ", example()}));
    } else if (!zone.empty()) {
        return makeError("marking.embargo_time",
                         concat({"the embargo time '", time,
                                 "' is not written as HH:MM (no seconds); ", example()}));
    }
    // "09:00Z UTC" says the same thing twice; taking the extra word is harmless.
    if (i < words.size() && words[i] == kUtc) {
        utc = true;
        ++i;
    }
    if (!utc)
        return makeError("marking.embargo_timezone",
                         concat({"the embargo time '", time,
                                 "' has no time zone; give the time in UTC; ", example()}));

    EmbargoMatch match;
    match.phrase = concat({kKeyword, " ", kUntil, " ", date, " ", hhmm, " ", kUtc});
    match.wordCount = i - pos;
    std::string written;
    for (size_t w = pos; w < i; ++w) {
        if (w > pos)
            written += ' ';
        written += words[w];
    }
    if (written != match.phrase)
        match.correction = concat({"wrote the embargo '", written, "' as '", match.phrase, "'"});
    return match;
}

} // namespace conclave::classification
