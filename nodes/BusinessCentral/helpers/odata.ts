/** OData string literal: single quotes doubled, so a value can never end the literal early. */
export function odataString(text: string): string {
	return `'${text.replace(/'/g, "''")}'`;
}

/** `a and b and c` of the parts that are present; undefined when none is. */
export function andAll(parts: Array<string | undefined>): string | undefined {
	const present = parts.filter((part): part is string => !!part);
	return present.length ? present.join(' and ') : undefined;
}
