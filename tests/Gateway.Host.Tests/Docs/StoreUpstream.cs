using Gateway.Host.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Host.Tests.Docs;

/// <summary>A loopback upstream under the base path <c>/v1</c> that publishes an OpenAPI 3.0 document of its items at <c>/v1/openapi.json</c>.</summary>
internal sealed class StoreUpstream : IAsyncDisposable
{
    /// <summary>The document: servers <c>/v1</c>, <c>/items</c> (GET, POST) and <c>/items/{itemId}</c> (GET), schemas Item (which uses Tag), Tag and Unused.</summary>
    public const string Document = """
        { "openapi": "3.0.3", "info": { "title": "store", "version": "1" }, "servers": [ { "url": "/v1" } ],
          "paths": {
            "/items": {
              "get": { "operationId": "listItems", "summary": "List items",
                       "parameters": [ { "name": "limit", "in": "query", "schema": { "type": "integer" } } ],
                       "responses": { "200": { "description": "The items", "content": { "application/json": { "schema": { "type": "array", "items": { "$ref": "#/components/schemas/Item" } } } } } } },
              "post": { "operationId": "addItem", "summary": "Add an item",
                        "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Item" } } } },
                        "responses": { "201": { "description": "Added" } } } },
            "/items/{itemId}": {
              "parameters": [ { "name": "itemId", "in": "path", "required": true, "description": "The item's id", "schema": { "type": "string" } } ],
              "get": { "operationId": "getItem", "summary": "One item",
                       "responses": { "200": { "description": "The item", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Item" } } } },
                                      "404": { "description": "No such item" } } } } },
          "components": { "schemas": {
            "Item": { "type": "object", "properties": { "id": { "type": "string" }, "tag": { "$ref": "#/components/schemas/Tag" } } },
            "Tag": { "type": "string" },
            "Unused": { "type": "integer" } } } }
        """;

    private readonly WebApplication _app;

    private StoreUpstream(WebApplication app) => _app = app;

    /// <summary>The destination URL, base path included (<c>http://127.0.0.1:PORT/v1</c>).</summary>
    public string Destination => LoopbackApp.UrlOf(_app) + "/v1";

    /// <summary>Starts the upstream.</summary>
    public static async Task<StoreUpstream> StartAsync()
    {
        var app = LoopbackApp.Create();
        app.MapGet("/v1/openapi.json", () => Results.Text(Document, "application/json"));
        await app.StartAsync();
        return new StoreUpstream(app);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
