// SPDX-License-Identifier: GPL-3.0-or-later
#include "common/Iso8601.h"

#include <cstdio>

namespace conclave {
namespace {

bool readDigits(std::string_view text, size_t pos, size_t count, int& out)
{
    if (pos + count > text.size())
        return false;
    int value = 0;
    for (size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        value = value * 10 + (text[i] - '0');
    }
    out = value;
    return true;
}

} // namespace

bool isValidDate(int year, int month, int day)
{
    if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1)
        return false;
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const int max = (month == 2 && leap) ? 29 : kDays[month - 1];
    return day <= max;
}

Result<TimePoint> parseUtcTimestamp(std::string_view text)
{
    const auto bad = [&] {
        // Built by appending: GCC 12 warns falsely (-Wrestrict, bug 105329) on "'" + string.
        std::string message(1, '\'');
        message.append(text).append("' is not a UTC time of the form 2026-01-31T09:00:00Z");
        return makeError("time.invalid", std::move(message));
    };
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (text.size() != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
        text[13] != ':' || text[16] != ':' || text[19] != 'Z')
        return bad();
    if (!readDigits(text, 0, 4, y) || !readDigits(text, 5, 2, mo) || !readDigits(text, 8, 2, d) ||
        !readDigits(text, 11, 2, h) || !readDigits(text, 14, 2, mi) || !readDigits(text, 17, 2, s))
        return bad();
    if (!isValidDate(y, mo, d) || h > 23 || mi > 59 || s > 59)
        return bad();
    using namespace std::chrono;
    const sys_days day = year_month_day{year{y}, month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
    return TimePoint{day + hours{h} + minutes{mi} + seconds{s}};
}

std::string formatUtcTimestamp(TimePoint t)
{
    using namespace std::chrono;
    const auto secs = floor<seconds>(t);
    const auto day = floor<days>(secs);
    const year_month_day ymd{day};
    const hh_mm_ss hms{secs - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

} // namespace conclave
