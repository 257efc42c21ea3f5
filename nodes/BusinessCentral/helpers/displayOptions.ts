import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/** Adds `displayOptions` to every property (as n8n's own nodes do with `updateDisplayOptions`). */
export function withDisplayOptions(
	displayOptions: IDisplayOptions,
	properties: INodeProperties[],
): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...(property.displayOptions?.show ?? {}), ...(displayOptions.show ?? {}) },
			...(displayOptions.hide || property.displayOptions?.hide
				? { hide: { ...(property.displayOptions?.hide ?? {}), ...(displayOptions.hide ?? {}) } }
				: {}),
		},
	}));
}
