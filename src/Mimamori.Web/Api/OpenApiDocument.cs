using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Mimamori.Web.Api;

/// <summary>
/// <c>/openapi/v1.json</c>: an OpenAPI 3 description of the JSON API, written by hand because the OpenAPI generator
/// is a separate package outside the shared framework and the API is small. A test checks it lists every /api route.
/// </summary>
public static class OpenApiDocument
{
    /// <summary>The document.</summary>
    public const string Json = """
        {
          "openapi": "3.0.3",
          "info": {
            "title": "Mimamori API",
            "version": "1",
            "description": "Children who may need support, under the municipality's access policy. Every call that returns a person's data is recorded in the audit trail. Values the policy withholds are returned as \"＊＊＊\"."
          },
          "servers": [ { "url": "/" } ],
          "components": {
            "securitySchemes": {
              "session": { "type": "apiKey", "in": "cookie", "name": "mimamori.session" }
            },
            "schemas": {
              "Error": { "type": "object", "properties": { "error": { "type": "string" } }, "required": [ "error" ] },
              "ReferralInbox": {
                "type": "object",
                "properties": {
                  "organisation": { "type": "string" }, "unanswered": { "type": "integer" },
                  "referrals": { "type": "array", "items": { "type": "object", "properties": {
                    "referralId": { "type": "integer" }, "from": { "type": "string" }, "sentAt": { "type": "string", "format": "date-time" },
                    "reason": { "type": "string" },
                    "fields": { "type": "object", "description": "Values passed on, by field: name, birth_date, address, school, guardian", "additionalProperties": { "type": "string" } },
                    "status": { "type": "string", "enum": [ "sent", "accepted", "declined" ] },
                    "answeredAt": { "type": "string", "format": "date-time", "nullable": true }, "answerReason": { "type": "string", "nullable": true } } } }
                }
              },
              "Overdue": {
                "type": "object",
                "properties": {
                  "asOf": { "type": "string", "format": "date" }, "overdueTasks": { "type": "integer" }, "overduePlans": { "type": "integer" },
                  "tasks": { "type": "array", "items": { "type": "object", "properties": {
                    "taskId": { "type": "integer" }, "planId": { "type": "integer" }, "personId": { "type": "integer" }, "name": { "type": "string" },
                    "title": { "type": "string" }, "dueOn": { "type": "string", "format": "date" }, "daysLate": { "type": "integer" }, "assignee": { "type": "string" } } } },
                  "plans": { "type": "array", "items": { "type": "object", "properties": {
                    "planId": { "type": "integer" }, "personId": { "type": "integer" }, "name": { "type": "string" }, "agency": { "type": "string" },
                    "reviewOn": { "type": "string", "format": "date" }, "daysLate": { "type": "integer" } } } }
                }
              },
              "LoginRequest": {
                "type": "object",
                "properties": { "user": { "type": "string" }, "password": { "type": "string", "format": "password" } },
                "required": [ "user", "password" ]
              },
              "LoginResponse": {
                "type": "object",
                "properties": {
                  "user": { "type": "string" }, "displayName": { "type": "string" }, "role": { "type": "string" },
                  "organisation": { "type": "string" }, "scope": { "type": "string" }
                }
              },
              "WorklistPage": {
                "type": "object",
                "properties": {
                  "purpose": { "type": "string" }, "total": { "type": "integer" }, "page": { "type": "integer" },
                  "pageSize": { "type": "integer" }, "pages": { "type": "integer" },
                  "byBand": { "type": "object", "description": "Children matching the filter by their highest band.", "additionalProperties": { "type": "integer" } },
                  "rows": { "type": "array", "items": { "$ref": "#/components/schemas/WorklistRow" } }
                }
              },
              "WorklistRow": {
                "type": "object",
                "properties": {
                  "personId": { "type": "integer" }, "name": { "type": "string" }, "kana": { "type": "string" },
                  "age": { "type": "integer", "nullable": true }, "school": { "type": "string", "nullable": true },
                  "needs": { "type": "array", "items": { "type": "object", "properties": {
                    "difficulty": { "type": "string" }, "label": { "type": "string" }, "band": { "type": "string", "enum": [ "high", "medium", "low" ] },
                    "bandLabel": { "type": "string" }, "bandMeaning": { "type": "string" } } } },
                  "reasons": { "type": "array", "items": { "type": "object", "properties": {
                    "difficulty": { "type": "string" }, "text": { "type": "string" }, "masked": { "type": "boolean" } } } },
                  "judgement": { "type": "object", "nullable": true, "description": "The current decision; null for roles that do not record decisions.", "properties": {
                    "decision": { "type": "string", "nullable": true }, "decidedAt": { "type": "string", "nullable": true }, "onAgenda": { "type": "boolean" },
                    "registeredWithYotaikyo": { "type": "boolean", "nullable": true }, "label": { "type": "string" } } }
                }
              },
              "Child": {
                "type": "object",
                "description": "Person, household, needs with reasons and evidence, timeline of facts and linked source records.",
                "properties": {
                  "purpose": { "type": "string" },
                  "person": { "type": "object" },
                  "masked": { "type": "array", "items": { "type": "string" } },
                  "withheldCategories": { "type": "array", "items": { "type": "string" } },
                  "household": { "type": "array", "nullable": true, "items": { "type": "object" } },
                  "needs": { "type": "array", "nullable": true, "items": { "type": "object" } },
                  "timeline": { "type": "array", "items": { "type": "object" } },
                  "records": { "type": "array", "items": { "type": "object" } }
                }
              },
              "AuditTrail": {
                "type": "object",
                "properties": {
                  "chainIntact": { "type": "boolean" }, "chainBrokenAt": { "type": "integer", "nullable": true },
                  "entries": { "type": "integer" }, "events": { "type": "array", "items": { "type": "object" } },
                  "breakGlass": {
                    "type": "array",
                    "description": "Emergency (break-glass) accesses, unreviewed first: each is an alert to the privacy officer until reviewed with a note in the web app.",
                    "items": {
                      "type": "object",
                      "properties": {
                        "grantId": { "type": "integer" }, "user": { "type": "string" }, "role": { "type": "string" }, "organisation": { "type": "string" },
                        "personId": { "type": "integer" }, "reason": { "type": "string" }, "grantedAt": { "type": "string", "format": "date-time" },
                        "expiresAt": { "type": "string", "format": "date-time" }, "reviewed": { "type": "boolean" }, "reviewedBy": { "type": "string", "nullable": true },
                        "reviewedAt": { "type": "string", "nullable": true }, "reviewNote": { "type": "string", "nullable": true }
                      }
                    }
                  }
                }
              }
            }
          },
          "paths": {
            "/api/login": {
              "post": {
                "summary": "Sign in; sets the session cookie. Five failures in a row lock the account for 15 minutes.",
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/LoginRequest" } } } },
                "responses": {
                  "200": { "description": "Signed in", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/LoginResponse" } } } },
                  "400": { "description": "Missing fields", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                  "401": { "description": "Wrong user name or password, or locked", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/worklist": {
              "get": {
                "summary": "Children with at least one need above band none, in the caller's scope.",
                "security": [ { "session": [] } ],
                "parameters": [
                  { "name": "difficulty", "in": "query", "schema": { "type": "string" } },
                  { "name": "band", "in": "query", "schema": { "type": "string", "enum": [ "high", "medium", "low" ] } },
                  { "name": "status", "in": "query", "description": "Judgement status (for roles that record decisions).", "schema": { "type": "string", "enum": [ "undecided", "on_agenda", "not_registered", "supporting", "watching", "referred", "not_needed" ] } },
                  { "name": "yotaikyo", "in": "query", "description": "要対協 registration, recorded by staff or in the linked data (for roles that record decisions).", "schema": { "type": "string", "enum": [ "registered", "not_registered" ] } },
                  { "name": "assigned", "in": "query", "description": "Case assignment (担当者): the signed-in user's own cases, children assigned to anyone, or to no one (for roles that record decisions).", "schema": { "type": "string", "enum": [ "mine", "any", "none" ] } },
                  { "name": "school", "in": "query", "description": "The child's latest school.", "schema": { "type": "string" } },
                  { "name": "area", "in": "query", "description": "町丁目 of the registry address, as the worklist's area filter lists them (本町1丁目).", "schema": { "type": "string" } },
                  { "name": "minAge", "in": "query", "schema": { "type": "integer", "minimum": 0, "maximum": 25 } },
                  { "name": "maxAge", "in": "query", "schema": { "type": "integer", "minimum": 0, "maximum": 25 } },
                  { "name": "sort", "in": "query", "schema": { "type": "string", "enum": [ "priority", "kana", "youngest", "oldest" ] } },
                  { "name": "page", "in": "query", "schema": { "type": "integer", "minimum": 1 } },
                  { "name": "pageSize", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 200 } },
                  { "name": "lang", "in": "query", "schema": { "type": "string", "enum": [ "ja", "en" ] } }
                ],
                "responses": {
                  "200": { "description": "A page", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/WorklistPage" } } } },
                  "401": { "description": "Not signed in" },
                  "403": { "description": "The role sees no child data", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/worklist/export.xlsx": {
              "get": {
                "summary": "The filtered worklist (every page) as an Excel workbook; an audited export, one event per child. Masked fields stay masked; text cells are guarded against formulas.",
                "security": [ { "session": [] } ],
                "parameters": [
                  { "name": "difficulty", "in": "query", "schema": { "type": "string" } },
                  { "name": "band", "in": "query", "schema": { "type": "string", "enum": [ "high", "medium", "low" ] } },
                  { "name": "status", "in": "query", "schema": { "type": "string" } },
                  { "name": "school", "in": "query", "description": "The child's latest school.", "schema": { "type": "string" } },
                  { "name": "area", "in": "query", "description": "町丁目 of the registry address, as the worklist's area filter lists them (本町1丁目).", "schema": { "type": "string" } },
                  { "name": "minAge", "in": "query", "schema": { "type": "integer", "minimum": 0, "maximum": 25 } },
                  { "name": "maxAge", "in": "query", "schema": { "type": "integer", "minimum": 0, "maximum": 25 } },
                  { "name": "sort", "in": "query", "schema": { "type": "string", "enum": [ "priority", "kana", "youngest", "oldest" ] } },
                  { "name": "lang", "in": "query", "schema": { "type": "string", "enum": [ "ja", "en" ] } }
                ],
                "responses": {
                  "200": { "description": "The workbook", "content": { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "format": "binary" } } } },
                  "400": { "description": "More children than one export may hold; narrow the filters" },
                  "403": { "description": "The role sees no child data" }
                }
              }
            },
            "/api/children/{id}": {
              "get": {
                "summary": "One child, masked per the access policy. A child outside the user's scope answers 404, unless the user opened it in an emergency (POST /children/{id}/break-glass in the web app, with a written reason): then, until the grant expires, it answers under the purpose break_glass, and every view is audited as such.",
                "security": [ { "session": [] } ],
                "parameters": [
                  { "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "format": "int64" } },
                  { "name": "purpose", "in": "query", "schema": { "type": "string", "enum": [ "early_support", "outreach", "data_quality" ] } },
                  { "name": "lang", "in": "query", "schema": { "type": "string", "enum": [ "ja", "en" ] } }
                ],
                "responses": {
                  "200": { "description": "The child", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Child" } } } },
                  "401": { "description": "Not signed in" },
                  "403": { "description": "The role sees no child data for the purpose" },
                  "404": { "description": "No such person, or outside the caller's scope" }
                }
              }
            },
            "/api/audit": {
              "get": {
                "summary": "Search the audit trail (privacy officer only); the hash chain is verified on each call.",
                "security": [ { "session": [] } ],
                "parameters": [
                  { "name": "subject", "in": "query", "schema": { "type": "string" }, "description": "person:<id> or a person id" },
                  { "name": "user", "in": "query", "schema": { "type": "string" } },
                  { "name": "from", "in": "query", "schema": { "type": "string", "format": "date" } },
                  { "name": "to", "in": "query", "schema": { "type": "string", "format": "date" } }
                ],
                "responses": {
                  "200": { "description": "Matching entries, newest first", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/AuditTrail" } } } },
                  "401": { "description": "Not signed in" },
                  "403": { "description": "Not the privacy officer" }
                }
              }
            },
            "/api/referrals": {
              "get": {
                "summary": "Referrals received by the caller's organisation, unanswered first, each with the fields the sender passed on (frozen at sending). Each child listed is an audited search.",
                "security": [ { "session": [] } ],
                "responses": {
                  "200": { "description": "The inbox", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ReferralInbox" } } } },
                  "401": { "description": "Not signed in" },
                  "403": { "description": "The role neither sends nor receives referrals", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            },
            "/api/casework/overdue": {
              "get": {
                "summary": "Open tasks past their due date and active support plans past their review date, for the children in the caller's scope (roles that may decide only). Each child listed is an audited search under support_decision.",
                "security": [ { "session": [] } ],
                "responses": {
                  "200": { "description": "What is late today (Japan time)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Overdue" } } } },
                  "401": { "description": "Not signed in" },
                  "403": { "description": "The role may not decide about children", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                }
              }
            }
          }
        }
        """;

    /// <summary>Maps <c>/openapi/v1.json</c>.</summary>
    public static IEndpointRouteBuilder MapOpenApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapGet("/openapi/v1.json", () => Results.Text(Json, "application/json; charset=utf-8"));
        return app;
    }
}
