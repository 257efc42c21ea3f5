import { odataString } from '../helpers/odata';
import { toCalendarDate } from '../helpers/validation';

/**
 * What the payment picker's search text may mean besides text in a payment's text
 * properties: an amount or a posting date, the two values its labels show that
 * `contains()` cannot search, or the label's "Cust. 10000" typed as shown (Business
 * Central's `contains` takes text properties only, and `or` across properties is
 * refused, so each reading is a request of its own).
 */

/** "1500", "-1,500.00", "1500.5": a number as the picker shows amounts (en-US grouping). */
const AMOUNT_TEXT = /^[+-]?(?:\d{1,3}(?:,\d{3})+|\d{1,15})(?:\.\d{1,10})?$/;
const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;
const MONTH_TEXT = /^(\d{4})-(\d{2})$/;

const pad = (value: number) => String(value).padStart(2, '0');

/** Integer digits Business Central's amounts have at most (the node's input rule: below 1e15). */
const MAX_INTEGER_DIGITS = 15;

/**
 * The typed number as an OData decimal literal, digit for digit: never through `Number`,
 * whose text drops digits past 15–17 significant ones (999,999,999,999,999.99 became
 * 999999999999999.9) and turns small values into exponent form (`1e-7`). Undefined beyond
 * what Business Central stores: such a condition could only fail or find nothing.
 */
function decimalLiteral(text: string): string | undefined {
	const [whole, fraction = ''] = text.replace(/^[+-]/, '').replace(/,/g, '').split('.');
	const integer = whole.replace(/^0+(?=\d)/, '');
	if (integer.length > MAX_INTEGER_DIGITS) return undefined;
	const decimals = fraction.replace(/0+$/, '');
	return decimals ? `${integer}.${decimals}` : integer;
}

/**
 * `amount eq …` for a typed number. Without a sign both signs are asked (`or` on one
 * property is allowed): a payment received is usually entered negative, and a user
 * searching for the bank line's 1500 means the -1,500.00 the list shows.
 */
function amountCondition(text: string): string | undefined {
	if (!AMOUNT_TEXT.test(text)) return undefined;
	const literal = decimalLiteral(text);
	if (literal === undefined) return undefined;
	if (literal === '0') return 'amount eq 0';
	if (text.startsWith('-')) return `amount eq -${literal}`;
	if (text.startsWith('+')) return `amount eq ${literal}`;
	return `(amount eq ${literal} or amount eq -${literal})`;
}

/** `postingDate eq …` for a typed date, a range for a typed month (YYYY-MM). */
function dateCondition(text: string): string | undefined {
	if (DATE_TEXT.test(text)) {
		// the node's own date rule (a real calendar date, 1753–9998), as for date inputs
		const day = toCalendarDate(text);
		return 'date' in day ? `postingDate eq ${day.date}` : undefined;
	}
	const monthOnly = MONTH_TEXT.exec(text);
	if (!monthOnly) return undefined;
	const [year, month] = monthOnly.slice(1).map(Number);
	if (year < 1753 || year > 9998 || month < 1 || month > 12) return undefined;
	const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
	return `postingDate ge ${text}-01 and postingDate le ${text}-${pad(lastDay)}`;
}

/** The label's "Cust. 10000" (entities/customerPayment.ts), typed or pasted: that customer number. */
const CUSTOMER_TEXT = /^cust\.\s*(\S.*)$/i;

function customerCondition(text: string): string | undefined {
	const number = CUSTOMER_TEXT.exec(text)?.[1];
	return number ? `contains(customerNumber,${odataString(number)})` : undefined;
}

/** The amount, date and customer conditions a payment search text stands for (none for plain text). */
export function paymentValueConditions(text: string): string[] {
	return [amountCondition(text), dateCondition(text), customerCondition(text)].filter(
		(condition): condition is string => condition !== undefined,
	);
}
