/**
 * Business Central error answers. BC wraps every failure as
 * `{ "error": { "code": "...", "message": "...  CorrelationId:  <guid>." } }`
 * (JSON, with the correlation id appended to the message). Handlers throw a
 * `BcError`; the HTTP / $batch layers turn it into that body with a fresh
 * correlation id.
 *
 * Codes follow Microsoft's table of exception types and error codes,
 * MicrosoftDocs/dynamics365smb-devitpro-pb `dev-itpro/webservices/dynamics-error-codes.md`
 * ("Troubleshooting OData/API calls"): e.g. ODataNotFoundException "Bad Request -
 * Error in query syntax" → `BadRequest_NotFound`; NavNCLDialogException (what an
 * AL `Error(...)` raises, example "A customerNumber or a customerID must be
 * provided.") → `Application_DialogException`; ODataNotImplementedException →
 * `BadRequest_MethodNotImplemented`.
 */

export const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

export class BcError extends Error {
	constructor(
		public readonly status: number,
		public readonly code: string,
		message: string,
		public readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

export interface BcErrorBody {
	error: { code: string; message: string };
}

/** The body BC sends, message suffixed with the correlation id the way BC does. */
export function errorBody(code: string, message: string, correlationId: string): BcErrorBody {
	const text = message.endsWith('.') ? message : `${message}.`;
	return { error: { code, message: `${text}  CorrelationId:  ${correlationId}.` } };
}

/** Messages of the real service (AL labels of the API pages, OData library texts). */
export const MSG = {
	invalidToken:
		'Could not validate the client concurrency token required by the service. Please provide a valid token in the client request.',
	entityChanged: 'Another user has already changed the record.',
	journalRequired: 'You must specify a journal batch ID or a journal ID to get a journal line.',
	journalIdChange: 'The Journal Id cannot be changed.',
	journalNameChange: 'The Journal Batch Display Name cannot be changed.',
	journalIdNameMismatch: 'The Journal Id and Journal Display Name do not match.',
	customerMismatch: 'The customer values do not match to a specific Customer.',
	customerIdUnknown: 'The "customerId" does not match to a Customer.',
	customerNumberUnknown: 'The "customerNumber" does not match to a Customer.',
	invoiceMismatch: 'The Applies To Invoice values do not match to the same Invoice.',
	invoiceIdUnknown:
		'The "appliesToInvoiceId" should be the ID of an Open, Paid, Corrective, or Canceled Invoice.',
	querySyntax: 'Bad Request - Error in query syntax.',
	/**
	 * `or` across two properties. Text: MicrosoftDocs/dynamics365smb-devitpro-pb
	 * `dev-itpro/webservices/odata-known-limitations.md` ("The 'OR' operator is not
	 * supported on distinct fields on an OData filter."). Status 501 and code
	 * `BadRequest_MethodNotImplemented`: published captures of live answers in
	 * public repositories (a JSON capture `{"status":501,"code":"BadRequest_MethodNotImplemented"}`
	 * and comments "HTTP 501 … verified against the live API"), not Microsoft docs.
	 */
	orDistinctFields: "The 'OR' operator is not supported on distinct fields on an OData filter.",
	credentials: 'The server has rejected the client credentials.',
	/** APIV2Journals.Page.al ThereIsNothingToPostErr (PostBatch: no line in the batch). */
	nothingToPost: 'There is nothing to post.',
	/** APIV2Customers.Page.al BlankCustomerNameErr (field displayName OnValidate). */
	blankDisplayName: 'The blank "displayName" is not allowed.',
	/** Table 232 "Gen. Journal Batch" BalAccountIdDoesNotMatchAGLAccountErr (field BalAccountId OnValidate). */
	balAccountIdUnknown: 'The "balancingAccountNumber" does not match to a G/L Account.',
};

/** Primary key of a journal line as BC prints it in TestField / FieldError messages. */
export interface LineKey {
	template: string;
	batch: string;
	lineNo: number;
}

export const errors = {
	notFound: (entity: string, id: string) =>
		new BcError(
			404,
			'BadRequest_NotFound',
			`The ${entity} does not exist. Identification fields and values: Id='${id}'`,
		),
	companyNotFound: (id: string) =>
		new BcError(404, 'Internal_CompanyNotFound', `The company with ID '${id}' does not exist.`),
	segmentNotFound: (segment: string) =>
		new BcError(404, 'BadRequest_NotFound', `Resource not found for the segment '${segment}'.`),
	/**
	 * Malformed key or path (`customerPayments(not-a-guid)`, `companies('x')`): ODataLib's
	 * ODataNotFoundException, which BC reports as 404 `BadRequest_NotFound` (docs error
	 * table above; the shared API notes give 404; a published capture of
	 * `jobs(<guid>)` on a string-keyed entity shows the same code and text).
	 */
	querySyntax: () => new BcError(404, 'BadRequest_NotFound', MSG.querySyntax),
	collectionNotLast: (segment: string) =>
		new BcError(
			400,
			'BadRequest_NotFound',
			`The request URI is not valid. Since the segment '${segment}' refers to a collection, this must be the last segment in the request URI or it must be followed by an function or action that can be bound to it otherwise all intermediate segments must refer to a single resource.`,
		),
	methodNotAllowed: (method: string, entitySet: string, kind: 'Entity' | 'EntitySet') =>
		new BcError(
			405,
			'BadRequest_MethodNotAllowed',
			`'${method}' requests for '${entitySet}' of EdmType '${kind}' are not allowed within Dynamics 365 Business Central OData web services.`,
		),
	/** OData query option / literal errors (ODataLib texts; BC reports them as plain `BadRequest`). */
	badQuery: (message: string) => new BcError(400, 'BadRequest', message),
	/** `$filter` with `or` between different properties (see MSG.orDistinctFields for sources). */
	orDistinctFields: () => new BcError(501, 'BadRequest_MethodNotImplemented', MSG.orDistinctFields),
	badBody: (message: string) => new BcError(400, 'BadRequest_InvalidRequestBody', message),
	invalidToken: () => new BcError(400, 'BadRequest_InvalidToken', MSG.invalidToken),
	entityChanged: (status: 409 | 412) =>
		new BcError(status, 'Request_EntityChanged', MSG.entityChanged),
	/**
	 * The customerPayments page's `Error(FiltersNotSpecifiedErr)` (APIV2CustomerPayments.Page.al,
	 * CheckFilters() from OnAfterGetCurrRecord, and OnInsertRecord): an AL Error → DialogException.
	 */
	journalRequired: () => new BcError(400, 'Application_DialogException', MSG.journalRequired),
	/**
	 * An AL `Error(...)` of the API page (NavNCLDialogException → `Application_DialogException`,
	 * docs error table). Status 400: the shared API notes; not in the docs table.
	 */
	dialog: (message: string) => new BcError(400, 'Application_DialogException', message),
	unknownProperty: (prop: string, type: string) =>
		new BcError(
			400,
			'BadRequest_NotFound',
			`The property '${prop}' does not exist on type 'Microsoft.NAV.${type}'. Make sure to only use property names that are defined by the type.`,
		),
	readOnly: (prop: string) =>
		new BcError(
			400,
			'BadRequest_InvalidOperation',
			`The property '${prop}' is read-only and cannot be modified.`,
		),
	invalidGuid: (value: unknown) =>
		new BcError(
			400,
			'Application_InvalidGUID',
			`Cannot convert the literal '${String(value)}' to the expected type 'Edm.Guid'.`,
		),
	/** BC's text for Code/Text overflow; the sandbox appends the property name. */
	stringLength: (prop: string, value: string, max: number) =>
		new BcError(
			400,
			'Application_StringExceededLength',
			`The length of the string is ${value.length}, but it must be less than or equal to ${max} characters. Value: ${value}. Property: ${prop}`,
		),
	/**
	 * APIV2Journals.Page.al GetBatch(): `Error(CannotFindBatchErr, SystemId)`, label
	 * 'The General Journal Batch with ID %1 cannot be found.' (%1 a GUID; AL Format of a Guid
	 * prints it upper-case in braces).
	 */
	batchNotFound: (id: string) =>
		new BcError(
			400,
			'Application_DialogException',
			`The General Journal Batch with ID {${id.toUpperCase()}} cannot be found.`,
		),
	/**
	 * A `Rec.TestField(Field)` that fails: NavTestFieldException → `Application_FieldValidationException`
	 * (docs error table, example "Customer Posting Group must have a value in Customer:
	 * No.=C00690. It cannot be zero or empty."). The key printed as `Name=Value, Name=Value` is
	 * extrapolated from that one-field example (unverified for multi-field keys). Status 400 (notes).
	 */
	testField: (field: string, key: LineKey) =>
		new BcError(
			400,
			'Application_FieldValidationException',
			`${field} must have a value in Gen. Journal Line: Journal Template Name=${key.template}, Journal Batch Name=${key.batch}, Line No.=${key.lineNo}. It cannot be zero or empty.`,
		),
	/**
	 * A `Rec.FieldError(Field, Text)`: "<Field> <Text> in <Table> <Key>." — shape of a published
	 * capture ("Posting Date is not within your range of allowed posting dates in Purchase Header
	 * Document Type='Order',No.='PO100120'."). FieldError raises an AL error → taken as
	 * `Application_DialogException` (unverified: the exception class of FieldError is not in the
	 * docs error table).
	 */
	fieldError: (field: string, text: string, key: LineKey) =>
		new BcError(
			400,
			'Application_DialogException',
			`${field} ${text} in Gen. Journal Line Journal Template Name='${key.template}',Journal Batch Name='${key.batch}',Line No.='${key.lineNo}'.`,
		),
	/**
	 * A `FindFirst()` without `if` that finds nothing: NavCSideDataException →
	 * `Internal_DataNotFoundFilter`, "There is no Cust. Ledger Entry within the filter." (docs error
	 * table). The filter list follows Gen. Jnl.-Post Line PrepareTempCustLedgEntry's SetRange order
	 * as recalled (unverified); status 400 (unverified).
	 */
	noOpenInvoiceEntry: (documentNo: string, customerNo: string) =>
		new BcError(
			400,
			'Internal_DataNotFoundFilter',
			`There is no Cust. Ledger Entry within the filter. Filters: Document No.: ${documentNo}, Document Type: Invoice, Customer No.: ${customerNo}, Open: Yes`,
		),
	duplicateKey: (table: string, fields: string) =>
		new BcError(
			400,
			'Internal_EntityWithSameKeyExists',
			`The ${table} already exists. Identification fields and values: ${fields}`,
		),
	unauthorized: (wwwAuthenticate: string) =>
		new BcError(401, 'Authentication_InvalidCredentials', MSG.credentials, {
			'www-authenticate': wwwAuthenticate,
		}),
};
