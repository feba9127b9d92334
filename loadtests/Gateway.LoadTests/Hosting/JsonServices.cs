using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gateway.LoadTests.Hosting;

/// <summary>
/// The JSON services the upstream also plays, for aggregate routes: a user's profile (<c>GET /users/{id}</c>), their orders,
/// newest first (<c>GET /users/{id}/orders</c>, whose <c>items[0].id</c> is <c>o-{id}-1</c>), and an order's shipment
/// (<c>GET /shipments/{orderId}</c>). Each answer is about 1 KB of UTF-8 JSON naming the ids it was asked for.
/// </summary>
internal static class JsonServices
{
    /// <summary>The document for <paramref name="path"/> (already percent-decoded), or null when no service answers it.</summary>
    public static byte[]? Answer(string path)
    {
        if (!path.StartsWith("/users/", StringComparison.Ordinal) && !path.StartsWith("/shipments/", StringComparison.Ordinal))
        {
            return null;
        }

        string? json = path.Split('/', StringSplitOptions.RemoveEmptyEntries) switch
        {
            ["users", var id] => User(JsonEncodedText.Encode(id).ToString()),
            ["users", var id, "orders"] => Orders(JsonEncodedText.Encode(id).ToString()),
            ["shipments", var orderId] => Shipment(JsonEncodedText.Encode(orderId).ToString()),
            _ => null,
        };
        return json is null ? null : Encoding.UTF8.GetBytes(json);
    }

    private static string User(string id) =>
        Invariant($$"""{"id":"{{id}}","name":"Ada Lovelace","email":"user-{{id}}@example.com","locale":"de-CH","tier":"gold","verified":true""")
        + ""","addresses":[{"id":"a-0","street":"12 Königstraße","city":"Zürich","postcode":"8001","country":"CH","default":true},"""
        + """{"id":"a-1","street":"3 Bahnhofplatz","city":"Bern","postcode":"3011","country":"CH","default":false}]"""
        + ""","preferences":{"newsletter":false,"currency":"CHF","theme":"dark","notifications":{"email":true,"push":true,"sms":false}}"""
        + ",\"recentlyViewed\":[" + Join(6, ViewedProduct) + "]}";

    private static string ViewedProduct(int i) =>
        Invariant($$"""{"sku":"SKU-{{10042 + i}}","price":{"amount":{{129.9 + i}},"currency":"CHF"},"title":"Wanderrucksack „Säntis“ {{20 + i}} L"}""");

    private static string Orders(string id) =>
        Invariant($$"""{"user":"{{id}}","page":1,"pageSize":5,"total":57,"items":[""") + Join(5, i => Order(id, i)) + "]}";

    private static string Order(string id, int i) =>
        Invariant($$"""{"id":"o-{{id}}-{{i + 1}}","placedAt":"2026-11-{{28 - i}}T16:05:00Z","total":{"amount":{{84.5 + (i * 3)}},"currency":"CHF"}""")
        + Invariant($$""","status":"{{(i == 0 ? "shipped" : "delivered")}}","lines":[{"sku":"SKU-{{10042 + i}}","title":"Trinkflasche \"Alpen\" 0.75 L","quantity":{{1 + (i % 3)}},"unitPrice":24.9}]}""");

    private static string Shipment(string orderId) =>
        Invariant($$"""{"id":"s-{{orderId}}","order":"{{orderId}}","carrier":"Swiss Post","tracking":"99.60.123456.78901234","status":"in_transit","eta":"2026-12-03","events":[""")
        + Join(6, TrackingEvent) + "]}";

    private static string TrackingEvent(int i) =>
        Invariant($$"""{"at":"2026-11-29T{{10 + i}}:14:00Z","code":"SCANNED","location":"Härkingen, CH","description":"Passed the sorting centre \"Härkingen\"."}""");

    private static string Join(int count, Func<int, string> element) => string.Join(',', Enumerable.Range(0, count).Select(element));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
