"""Every error code the library raises, with the class that raises it and what it means.

Private: :class:`ErrorCode` is public from :mod:`tuangou_core.errors`; ``docs/errors.md`` is
generated from it (``python -m tools.errorcodes --write``).
"""

from __future__ import annotations

import enum


class ErrorCode(enum.StrEnum):
    """A stable error code: a snake_case string a backend can store, compare and map.

    Each member is the string itself (``ErrorCode.GROUP_FULL == "group_full"``) and carries the
    error class that raises it (``family``) and when (``meaning``). Codes are added, never
    renamed or removed, within a schema.
    """

    family: str
    meaning: str

    def __new__(cls, code: str, family: str = "", meaning: str = "") -> ErrorCode:
        member = str.__new__(cls, code)
        member._value_ = code
        member.family = family
        member.meaning = meaning
        return member

    # One row a code (the formatter keeps out): code, the class that raises it, its meaning.
    # fmt: off

    # -- Rejected: the rules refuse the command ---------------------------------------------------

    UNKNOWN_GROUP = ("unknown_group", "Rejected", "the command names a group that was never opened (a `pay` naming no order is not refused: it is recorded under `unmatched` and refunded at once)")
    NOT_A_MEMBER = ("not_a_member", "Rejected", "the member has no order in that group (cancel, pay, ship, complete, refund)")
    GROUP_EXISTS = ("group_exists", "Rejected", "`open` with the id of a group that already exists")
    GROUP_FULL = ("group_full", "Rejected", "a join on a group whose slots (paid and held) are all taken, with `overflow = \"reject\"`")
    GROUP_CLOSED = ("group_closed", "Rejected", "a join or a cancel on a group that formed or failed")
    ALREADY_MEMBER = ("already_member", "Rejected", "a join by a member who already has an order in that group, in any state")
    ORDER_CLOSED = ("order_closed", "Rejected", "a cancel of an order already cancelled or refunded")
    BEFORE_START = ("before_start", "Rejected", "an open or join before a seckill's `starts_at`")
    OUTSIDE_SLOT = ("outside_slot", "Rejected", "an open outside every slot of the merchant's calendar")
    LIMIT_EXCEEDED = ("limit_exceeded", "Rejected", "the join would take the member past `per_member_limit` units")
    OUT_OF_STOCK = ("out_of_stock", "Rejected", "the join would take the campaign past its `stock`")
    UNKNOWN_COUPON = ("unknown_coupon", "Rejected", "a coupon id the campaign does not have")
    DUPLICATE_COUPON = ("duplicate_coupon", "Rejected", "the same coupon twice on one order")
    INSUFFICIENT_POINTS = ("insufficient_points", "Rejected", "points redemption beyond the member's balance")
    NOT_A_LOTTERY = ("not_a_lottery", "Rejected", "`draw` on a campaign that is not a lottery")
    GROUP_NOT_FORMED = ("group_not_formed", "Rejected", "`draw` on a lottery group that has not formed (or failed)")
    ALREADY_DRAWN = ("already_drawn", "Rejected", "a second `draw` of the same group")
    NOT_SHIPPABLE = ("not_shippable", "Rejected", "`ship` of an order that is not awaiting shipment")
    NOT_COMPLETABLE = ("not_completable", "Rejected", "`complete` of an order that is not shipped")
    OPENER_UNPAID = ("opener_unpaid", "Rejected", "a join on a group whose opener (its leader) has not paid yet: the opener pays first")
    SEED_MISMATCH = ("seed_mismatch", "Rejected", "a `draw` whose seed does not hash (sha256 of its UTF-8 bytes) to the campaign's committed `seed_sha256`")
    NOT_REFUNDABLE = ("not_refundable", "Rejected", "an after-sales refund of an order that has not formed (leave with `cancel`) or has ended")
    REFUND_EXCEEDS_PAID = ("refund_exceeds_paid", "Rejected", "a refund beyond what the order, a line or a tender still holds")
    NOTHING_TO_REFUND = ("nothing_to_refund", "Rejected", "a refund plan for an order already refunded in full")
    NOT_CHEAPER = ("not_cheaper", "Rejected", "a tier-difference refund whose new price is not lower than what was paid")
    UNKNOWN_CAMPAIGN = ("unknown_campaign", "Rejected", "an event store has no campaign of that id (create it first)")
    REJECTED = ("rejected", "Rejected", "a refusal with no more precise code; the library always names one")

    # -- Conflict: the command contradicts a recorded fact ----------------------------------------

    PAYMENT_CONFLICT = ("payment_conflict", "Conflict", "a `payment_id` already applied, now with another amount, member or group")
    REFUND_CONFLICT = ("refund_conflict", "Conflict", "a `refund_id` already applied, now asking another amount or units, member or group")
    REFUND_OUT_OF_ORDER = ("refund_out_of_order", "Conflict", "applying a refund plan made from another state of the order")
    COMMAND_CONFLICT = ("command_conflict", "Conflict", "a `command_id` already recorded, now with another command or for another campaign")
    CAMPAIGN_EXISTS = ("campaign_exists", "Conflict", "an event store already holds a different campaign under that id")
    CONCURRENT_WRITE = ("concurrent_write", "Conflict", "the campaign kept changing under the command through every retry; nothing was recorded: send it again with the same `command_id`")
    CONFLICT = ("conflict", "Conflict", "a conflict with no more precise code; the library always names one")

    # -- InvalidInput: a value that cannot be what it claims --------------------------------------

    FLOAT_REFUSED = ("float_refused", "InvalidInput", "a float where money, a rate, a weight or a factor belongs")
    INVALID_AMOUNT = ("invalid_amount", "InvalidInput", "amount text that is not a plain decimal (`\"12.34\"`), NaN, infinity, or a non- positive amount where one is due")
    TOO_PRECISE = ("too_precise", "InvalidInput", "more fraction digits than the currency has, with no rounding named")
    AMOUNT_OUT_OF_RANGE = ("amount_out_of_range", "InvalidInput", "beyond ±(10**15 − 1) minor units")
    NEGATIVE_AMOUNT = ("negative_amount", "InvalidInput", "a negative amount where only zero or more makes sense (a split's inputs)")
    UNKNOWN_CURRENCY = ("unknown_currency", "InvalidInput", "a currency code the library does not know")
    CURRENCY_MISMATCH = ("currency_mismatch", "InvalidInput", "amounts of two currencies mixed, or an amount not in the campaign's currency")
    NOT_MONEY = ("not_money", "InvalidInput", "a non-`Money` operand where `Money` is needed")
    INVALID_FACTOR = ("invalid_factor", "InvalidInput", "`Money` multiplied by anything but an int")
    INVALID_RATE = ("invalid_rate", "InvalidInput", "rate text that is not `\"0.006\"`, `\"5%\"` or `\"1/3\"`, or a rate of more than 64 digits")
    UNKNOWN_ROUNDING = ("unknown_rounding", "InvalidInput", "a rounding mode name the library does not have")
    DIVISION_BY_ZERO = ("division_by_zero", "InvalidInput", "a quotient with a zero denominator")
    INVALID_WEIGHTS = ("invalid_weights", "InvalidInput", "allocation weights empty, all zero or negative, not numbers, or more than 100 000 of them")
    INVALID_DURATION = ("invalid_duration", "InvalidInput", "not an ISO 8601 duration, zero, negative, or over ten years")
    INVALID_DATETIME = ("invalid_datetime", "InvalidInput", "not a datetime (or not ISO 8601 text)")
    NAIVE_DATETIME = ("naive_datetime", "InvalidInput", "a datetime without a UTC offset")
    DATETIME_OUT_OF_RANGE = ("datetime_out_of_range", "InvalidInput", "before 1970 or from 9000")
    UNKNOWN_TIMEZONE = ("unknown_timezone", "InvalidInput", "not an IANA time zone name")
    TIME_WENT_BACKWARDS = ("time_went_backwards", "InvalidInput", "a scenario event earlier than the one before it: files must be in time order (through the API a command stamped before the clock is decided at the clock instead)")
    INVALID_QUANTITY = ("invalid_quantity", "InvalidInput", "a quantity that is not a whole number of at least 1")
    INVALID_PRICE = ("invalid_price", "InvalidInput", "a unit price of zero or less, or above the list price")
    INVALID_LINE = ("invalid_line", "InvalidInput", "a cart line that is not a `Line`")
    INVALID_ROLE = ("invalid_role", "InvalidInput", "a pricing role other than joiner, leader or opener")
    INVALID_COUPONS = ("invalid_coupons", "InvalidInput", "coupon ids that are not a list of strings")
    INVALID_FUNDER = ("invalid_funder", "InvalidInput", "a funder other than merchant, platform or leader (for points: an account that cannot fund them)")
    INVALID_POINT_VALUE = ("invalid_point_value", "InvalidInput", "points booked at a value that is not a positive amount")
    INVALID_GROUP = ("invalid_group", "InvalidInput", "a group id not of 1–128 characters")
    INVALID_MEMBER = ("invalid_member", "InvalidInput", "a member id not of 1–128 characters")
    INVALID_PAYMENT_ID = ("invalid_payment_id", "InvalidInput", "a payment id not of 1–128 characters")
    INVALID_TENDER = ("invalid_tender", "InvalidInput", "a tender not of 1–128 characters")
    INVALID_REFUND_ID = ("invalid_refund_id", "InvalidInput", "a `refund_id` not of 1–128 characters")
    INVALID_SEED = ("invalid_seed", "InvalidInput", "a lottery seed not of 1–1000 characters")
    UNKNOWN_COMMAND = ("unknown_command", "InvalidInput", "an object that is not a command given to `decide`")
    UNKNOWN_EVENT = ("unknown_event", "InvalidInput", "an object that is not an event given to `evolve`, `journal` or a metric")
    EVENT_MISFIT = ("event_misfit", "InvalidInput", "an event the state cannot take (of another log, or out of its order)")
    INVALID_POSTING = ("invalid_posting", "InvalidInput", "a ledger posting whose amount is not a positive amount, or whose account or side is not one of the ledger's")
    INVALID_ENTRY = ("invalid_entry", "InvalidInput", "an item given to the ledger's balances (or to `journal_records`) that is not a journal entry")
    UNBALANCED_ENTRY = ("unbalanced_entry", "InvalidInput", "a journal entry whose debits and credits differ")
    SPLIT_UNBALANCED = ("split_unbalanced", "InvalidInput", "a split whose parts do not sum to its net")
    NOT_A_SPLIT = ("not_a_split", "InvalidInput", "a `Split` combined with something else")
    INVALID_ORDER = ("invalid_order", "InvalidInput", "a paid order for `plan_refund` with no lines or inconsistent figures")
    TENDERS_MISMATCH = ("tenders_mismatch", "InvalidInput", "a paid order whose tenders do not hold what its lines hold")
    QUOTE_MISMATCH = ("quote_mismatch", "InvalidInput", "a tier-difference quote whose lines do not match the order's")
    UNKNOWN_LINE = ("unknown_line", "InvalidInput", "a refund naming a line the order does not have")
    INVALID_REQUEST = ("invalid_request", "InvalidInput", "a refund request of the wrong shape (units below 1, an empty request)")
    INVALID_POLICY = ("invalid_policy", "InvalidInput", "a refund policy with an unknown tender or reason")
    INVALID_PERCENTILE = ("invalid_percentile", "InvalidInput", "a percentile outside (0, 1]")
    INVALID_TOP = ("invalid_top", "InvalidInput", "a leaderboard length below 1")
    INVALID_INVITER = ("invalid_inviter", "InvalidInput", "a join's `inviter` that is not a non-empty member id, or names the joiner")
    MISSING_EXTRA = ("missing_extra", "InvalidInput", "an optional extra is not installed (`to_frame` needs `tuangou_core[pandas]`)")
    INVALID_HISTOGRAM = ("invalid_histogram", "InvalidInput", "a histogram bucket not whole, ≥ 0")
    INVALID_REPORTS = ("invalid_reports", "InvalidInput", "no Metrics, or two currencies, to add")
    INVALID_ATTRIBUTES = ("invalid_attributes", "InvalidInput", "risk attributes that are not a mapping of orders to their attributes")
    UNKNOWN_PICKUP_POINT = ("unknown_pickup_point", "InvalidInput", "an order assigned to a pickup point not in the list")
    INVALID_INPUT = ("invalid_input", "InvalidInput", "a lint context of the wrong shape (e.g. recent prices that are not amounts)")
    INVALID_VALUE = ("invalid_value", "InvalidInput", "a value of the wrong kind for its key (a scenario, a `[lint]` table, serialized data)")
    UNKNOWN_KEY = ("unknown_key", "InvalidInput", "a key the table does not have (campaign, fees, coupons, events, lint, serialized data)")

    INVALID_COMMAND_ID = ("invalid_command_id", "InvalidInput", "a command id that is not a non-empty string of at most 200 characters")
    INVALID_OPTION = ("invalid_option", "InvalidInput", "an event store option out of range (`snapshot_every`, `attempts`, `after`)")
    MISSING_KEY = ("missing_key", "InvalidInput", "a required key is missing (`schema`, `events[3].amount`)")
    UNSUPPORTED_SCHEMA = ("unsupported_schema", "InvalidInput", "`schema` is not 1")
    TOO_DEEP = ("too_deep", "InvalidInput", "plain data nested deeper than 32 levels")
    INVALID_PLACES = ("invalid_places", "InvalidInput", "`Rate.as_decimal` places not 0 to 100")
    # -- InvalidRule: a campaign or policy that cannot run, refused when it is built --------------

    INVALID_RULE = ("invalid_rule", "InvalidRule", "any rule that cannot run; the message and `field` name it (`campaign.size must be between 2 and 100000`)")
    INVALID_CALENDAR = ("invalid_calendar", "InvalidRule", "a merchant calendar entry that cannot be read (`calendar.quiet[0].start`)")
    MULTI_LEVEL_COMMISSION = ("multi_level_commission", "InvalidRule", "commission over more than one level (多级分销 is not allowed)")

    # -- InvalidScenario: a scenario file that cannot be replayed ---------------------------------

    FILE_NOT_FOUND = ("file_not_found", "InvalidScenario", "the file cannot be read")
    NOT_A_FILE = ("not_a_file", "InvalidScenario", "not a regular file; `-` reads stdin")
    INPUT_TOO_LARGE = ("input_too_large", "InvalidScenario", "a scenario past its size bound (16 MiB unless raised)")
    INVALID_TOML = ("invalid_toml", "InvalidScenario", "the file is not TOML")
    INVALID_JSON = ("invalid_json", "InvalidScenario", "the file is not JSON")
    INVALID_SCENARIO = ("invalid_scenario", "InvalidScenario", "the document is not a table of keys")
    UNKNOWN_EVENT_TYPE = ("unknown_event_type", "InvalidScenario", "an event `type` that is not open, join, pay, cancel, tick, draw, ship, complete or refund")

    # -- SerializationError: data that cannot be read back ----------------------------------------

    UNKNOWN_TYPE = ("unknown_type", "SerializationError", "a `type` that is not a library value")
    NOT_SERIALIZABLE = ("not_serializable", "SerializationError", "`to_data` of something that is not a library value")
    STALE_SNAPSHOT = ("stale_snapshot", "SerializationError", "a snapshot of another campaign, currency or state shape: rebuild it from the events")
    UNKNOWN_SCHEMA = ("unknown_schema", "SerializationError", "`json_schema` of a name other than event, journal, scenario and statement")
    INVALID_DATA = ("invalid_data", "SerializationError", "data that cannot be read back, with no more precise code")

    # -- StoreError: the event store failed or holds what this library cannot read ------------

    STORE_UNAVAILABLE = ("store_unavailable", "StoreError", "the database cannot be opened or reached, or failed in the middle of a write; when that was a command, send it again with the same `command_id`")
    STORE_CORRUPT = ("store_corrupt", "StoreError", "a stored row this library cannot read: a gap in a campaign's `seq`, a value that is not an event, data that does not decode")
    UNSUPPORTED_EVENT_SCHEMA = ("unsupported_event_schema", "StoreError", "a stored event written under a schema version of its type this library does not read")
    STORE_SCHEMA_MISMATCH = ("store_schema_mismatch", "StoreError", "the database's tables were made by another version of the store's layout")

    OUTPUT_FAILED = ("output_failed", "TuangouError", "the output cannot be written")

    # -- InternalError: a bug in the library, never a caller's mistake ----------------------------

    INVARIANT_VIOLATED = ("invariant_violated", "InternalError", "`check_invariants` found a broken invariant; never a user's mistake")
    INTERNAL_ERROR = ("internal_error", "InternalError", "an unexpected failure inside the library: a bug (the command line prints it as one line, exit 70, no traceback)")
    UNKNOWN_ERROR_CODE = ("unknown_error_code", "InternalError", "an error raised with a code that is not an `ErrorCode` member: a bug")
    PROJECTION_INCOMPLETE = ("projection_incomplete", "InternalError", "a fold of the event log that decides nothing for some event type: a bug, found at import")
    # fmt: on
