//! Times and dates as the agent reads and enters them: in the machine's time zone (the store
//! keeps UTC milliseconds). The zone comes from the system; tests pass one explicitly.

use jiff::{Timestamp as Instant, civil::Date, tz::TimeZone};
use switchboard_sdk::Timestamp;

/// The machine's time zone (UTC when it cannot be read).
pub fn local_zone() -> TimeZone {
    TimeZone::try_system().unwrap_or(TimeZone::UTC)
}

fn zoned(time: Timestamp, zone: &TimeZone) -> Option<jiff::Zoned> {
    Instant::from_millisecond(time.0)
        .ok()
        .map(|instant| instant.to_zoned(zone.clone()))
}

/// "14:05" in `zone`.
pub fn clock_time_in(time: Timestamp, zone: &TimeZone) -> String {
    zoned(time, zone).map_or_else(String::new, |z| z.strftime("%H:%M").to_string())
}

/// "2026-01-05 09:00" in `zone`.
pub fn day_and_time_in(time: Timestamp, zone: &TimeZone) -> String {
    zoned(time, zone).map_or_else(String::new, |z| z.strftime("%Y-%m-%d %H:%M").to_string())
}

/// "14:05", local time.
pub fn clock_time(time: Timestamp) -> String {
    clock_time_in(time, &local_zone())
}

/// "2026-01-05 09:00", local time.
pub fn day_and_time(time: Timestamp) -> String {
    day_and_time_in(time, &local_zone())
}

/// The local calendar day of a time.
pub fn day_of(time: Timestamp, zone: &TimeZone) -> Option<Date> {
    zoned(time, zone).map(|z| z.date())
}

/// The instant of `day` at `hour`:`minute` in `zone` (the earlier one when the clock repeats,
/// the later one when it skips); `None` for an impossible time.
pub fn at(day: Date, hour: i8, minute: i8, zone: &TimeZone) -> Option<Timestamp> {
    let time = jiff::civil::Time::new(hour, minute, 0, 0).ok()?;
    let zoned = day.to_datetime(time).to_zoned(zone.clone()).ok()?;
    Some(Timestamp(zoned.timestamp().as_millisecond()))
}

/// "4:05" or "1:02:09".
pub(crate) fn elapsed(seconds: i64) -> String {
    let (h, m, s) = (seconds / 3600, (seconds / 60) % 60, seconds % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_in_the_agents_zone() {
        let paris = TimeZone::get("Europe/Paris").expect("zone");
        // 2026-01-05 09:00 UTC is 10:00 in Paris in winter, and 2026-07-01 12:00 UTC is 14:00.
        assert_eq!(
            day_and_time_in(Timestamp(1_767_603_600_000), &paris),
            "2026-01-05 10:00"
        );
        assert_eq!(clock_time_in(Timestamp(1_782_907_200_000), &paris), "14:00");
        assert_eq!(
            day_and_time_in(Timestamp(1_767_603_600_000), &TimeZone::UTC),
            "2026-01-05 09:00"
        );
    }

    #[test]
    fn a_chosen_day_and_time_is_that_moment_in_the_zone() {
        let paris = TimeZone::get("Europe/Paris").expect("zone");
        let day = Date::new(2026, 1, 5).expect("date");
        assert_eq!(at(day, 10, 0, &paris), Some(Timestamp(1_767_603_600_000)));
        assert_eq!(at(day, 24, 0, &paris), None);
        assert_eq!(day_of(Timestamp(1_767_603_600_000), &paris), Some(day));
    }
}
