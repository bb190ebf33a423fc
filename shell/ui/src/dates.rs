//! Calendar dates for display and entry, in UTC (the shell shows every time in UTC for now).

use switchboard_sdk::Timestamp;

use crate::transcript::clock_time;

const DAY_MS: i64 = 86_400_000;

/// Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// "2026-01-05 09:00" for a timestamp.
pub fn day_and_time(time: Timestamp) -> String {
    let (year, month, day) = civil_from_days(time.0.div_euclid(DAY_MS));
    format!("{year:04}-{month:02}-{day:02} {}", clock_time(time))
}

/// The timestamp of "2026-01-05" and "09:00"; `None` when either is not a real date or time.
pub fn parse_day_and_time(date: &str, time: &str) -> Option<Timestamp> {
    let mut parts = date.trim().splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
    let (hour, minute) = time.trim().split_once(':')?;
    let (hour, minute) = (hour.parse::<i64>().ok()?, minute.parse::<i64>().ok()?);
    if !(1..=12).contains(&month) || !(0..24).contains(&hour) || !(0..60).contains(&minute) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if civil_from_days(days) != (year, month, day) {
        return None; // 2026-02-30 and the like
    }
    Some(Timestamp(days * DAY_MS + (hour * 60 + minute) * 60_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_calendar_days() {
        assert_eq!(
            day_and_time(Timestamp(1_767_603_600_000)),
            "2026-01-05 09:00"
        );
        assert_eq!(day_and_time(Timestamp(951_782_400_000)), "2000-02-29 00:00");
    }

    #[test]
    fn parsing_round_trips_and_refuses_impossible_dates() {
        assert_eq!(
            parse_day_and_time("2026-01-05", "09:00"),
            Some(Timestamp(1_767_603_600_000))
        );
        assert_eq!(
            parse_day_and_time("2000-02-29", "00:00"),
            Some(Timestamp(951_782_400_000))
        );
        assert_eq!(parse_day_and_time("2026-02-30", "10:00"), None);
        assert_eq!(parse_day_and_time("2026-13-01", "10:00"), None);
        assert_eq!(parse_day_and_time("2026-01-05", "24:00"), None);
        assert_eq!(parse_day_and_time("tomorrow", "10:00"), None);
    }
}
