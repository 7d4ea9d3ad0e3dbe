/* Wireshark 4.0's names (packet-dcerpc.c and the interface dissectors),
 * checked against tshark's output (the operation names: every opnum of
 * each table, from the Info column of requests tshark decoded). */
#include "dcerpc_names.h"

#include <stddef.h>
#include <string.h>

#include "dcerpc_parse.h"

#define N(a) (uint16_t)(sizeof a / sizeof a[0])

const char *pa_dcerpc_ptype_name(uint8_t t) {
    static const char *const names[PA_DCERPC_NPTYPES] = {
        "Request",   "Ping",     "Response",      "Fault",
        "Working",   "Nocall",   "Reject",        "Ack",
        "Cl_cancel", "Fack",     "Cancel_ack",    "Bind",
        "Bind_ack",  "Bind_nak", "Alter_context", "Alter_context_resp",
        "AUTH3",     "Shutdown", "Co_cancel",     "Orphaned",
        "RTS",
    };
    return t < PA_DCERPC_NPTYPES ? names[t] : NULL;
}

const char *pa_dcerpc_ack_result_name(uint16_t r) {
    static const char *const names[] = {"Acceptance", "User rejection", "Provider rejection", "Negotiate ACK"};
    return r < N(names) ? names[r] : NULL;
}

const char *pa_dcerpc_ack_reason_name(uint16_t r) {
    static const char *const names[] = {"Reason not specified", "Abstract syntax not supported",
                                        "Proposed transfer syntaxes not supported", "Local limit exceeded"};
    return r < N(names) ? names[r] : NULL;
}

const char *pa_dcerpc_reject_reason_name(uint16_t r) {
    static const char *const names[] = {
        "Reason not specified",
        "Temporary congestion",
        "Local limit exceeded",
        "Called paddr unknown",
        "Protocol version not supported",
        "Default context not supported",
        "User data not readable",
        "No PSAP available",
        "Authentication type not recognized",
        "Invalid checksum",
    };
    return r < N(names) ? names[r] : NULL;
}

const char *pa_dcerpc_status_name(uint32_t s) {
    static const struct {
        uint32_t v;
        const char *name;
    } names[] = {
        {0x00000005, "nca_s_fault_access_denied"},
        {0x000006d8, "nca_s_fault_cant_perform"},
        {0x000006f7, "nca_s_fault_ndr"},
        {0x00000721, "nca_s_fault_sec_pkg_error"},
        {0x1c000001, "nca_s_fault_int_div_by_zero"},
        {0x1c000002, "nca_s_fault_addr_error"},
        {0x1c000003, "nca_s_fault_fp_div_zero"},
        {0x1c000004, "nca_s_fault_fp_underflow"},
        {0x1c000005, "nca_s_fault_fp_overflow"},
        {0x1c000006, "nca_s_fault_invalid_tag"},
        {0x1c000007, "nca_s_fault_invalid_bound"},
        {0x1c000008, "nca_rpc_version_mismatch"},
        {0x1c000009, "nca_unspec_reject"},
        {0x1c00000a, "nca_s_bad_actid"},
        {0x1c00000b, "nca_who_are_you_failed"},
        {0x1c00000c, "nca_manager_not_entered"},
        {0x1c00000d, "nca_s_fault_cancel"},
        {0x1c00000e, "nca_s_fault_ill_inst"},
        {0x1c00000f, "nca_s_fault_fp_error"},
        {0x1c000010, "nca_s_fault_int_overflow"},
        {0x1c000014, "nca_s_fault_pipe_empty"},
        {0x1c000015, "nca_s_fault_pipe_closed"},
        {0x1c000016, "nca_s_fault_pipe_order"},
        {0x1c000017, "nca_s_fault_pipe_discipline"},
        {0x1c000018, "nca_s_fault_pipe_comm_error"},
        {0x1c000019, "nca_s_fault_pipe_memory"},
        {0x1c00001a, "nca_s_fault_context_mismatch"},
        {0x1c00001b, "nca_s_fault_remote_no_memory"},
        {0x1c00001c, "nca_invalid_pres_context_id"},
        {0x1c00001d, "nca_unsupported_authn_level"},
        {0x1c00001f, "nca_invalid_checksum"},
        {0x1c000020, "nca_invalid_crc"},
        {0x1c000021, "ncs_s_fault_user_defined"},
        {0x1c000022, "nca_s_fault_tx_open_failed"},
        {0x1c000023, "nca_s_fault_codeset_conv_error"},
        {0x1c000024, "nca_s_fault_object_not_found"},
        {0x1c000025, "nca_s_fault_no_client_stub"},
        {0x1c010002, "nca_op_rng_error"},
        {0x1c010003, "nca_unk_if"},
        {0x1c010006, "nca_wrong_boot_time"},
        {0x1c010009, "nca_s_you_crashed"},
        {0x1c01000b, "nca_proto_error"},
        {0x1c010013, "nca_out_args_too_big"},
        {0x1c010014, "nca_server_too_busy"},
        {0x1c010017, "nca_unsupported_type"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].v == s) return names[i].name;
    return NULL;
}

static const char *const epm_ops[] = {"Insert",           "Delete",    "Lookup",    "Map",
                                      "LookupHandleFree", "InqObject", "MgmtDelete"};

static const char *const srvsvc_ops[] = {
    "NetCharDevEnum",     "NetCharDevGetInfo",   "NetCharDevControl",    "NetCharDevQEnum",   "NetCharDevQGetInfo",
    "NetCharDevQSetInfo", "NetCharDevQPurge",    "NetCharDevQPurgeSelf", "NetConnEnum",       "NetFileEnum",
    "NetFileGetInfo",     "NetFileClose",        "NetSessEnum",          "NetSessDel",        "NetShareAdd",
    "NetShareEnumAll",    "NetShareGetInfo",     "NetShareSetInfo",      "NetShareDel",       "NetShareDelSticky",
    "NetShareCheck",      "NetSrvGetInfo",       "NetSrvSetInfo",        "NetDiskEnum",       "NetServerStatisticsGet",
    "NetTransportAdd",    "NetTransportEnum",    "NetTransportDel",      "NetRemoteTOD",      "NetSetServiceBits",
    "NetPathType",        "NetPathCanonicalize", "NetPathCompare",       "NetNameValidate",   "NETRPRNAMECANONICALIZE",
    "NetPRNameCompare",   "NetShareEnum",        "NetShareDelStart",     "NetShareDelCommit", "NetGetFileSecurity",
    "NetSetFileSecurity",
};

static const char *const samr_ops[] = {
    "Connect",
    "Close",
    "SetSecurity",
    "QuerySecurity",
    "Shutdown",
    "LookupDomain",
    "EnumDomains",
    "OpenDomain",
    "QueryDomainInfo",
    "SetDomainInfo",
    "CreateDomainGroup",
    "EnumDomainGroups",
    "CreateUser",
    "EnumDomainUsers",
    "CreateDomAlias",
    "EnumDomainAliases",
    "GetAliasMembership",
    "LookupNames",
    "LookupRids",
    "OpenGroup",
    "QueryGroupInfo",
    "SetGroupInfo",
    "AddGroupMember",
    "DeleteDomainGroup",
    "DeleteGroupMember",
    "QueryGroupMember",
    "SetMemberAttributesOfGroup",
    "OpenAlias",
    "QueryAliasInfo",
    "SetAliasInfo",
    "DeleteDomAlias",
    "AddAliasMember",
    "DeleteAliasMember",
    "GetMembersInAlias",
    "OpenUser",
    "DeleteUser",
    "QueryUserInfo",
    "SetUserInfo",
    "ChangePasswordUser",
    "GetGroupsForUser",
    "QueryDisplayInfo",
    "GetDisplayEnumerationIndex",
    "TestPrivateFunctionsDomain",
    "TestPrivateFunctionsUser",
    "GetUserPwInfo",
    "RemoveMemberFromForeignDomain",
    "QueryDomainInfo2",
    "QueryUserInfo2",
    "QueryDisplayInfo2",
    "GetDisplayEnumerationIndex2",
    "CreateUser2",
    "QueryDisplayInfo3",
    "AddMultipleMembersToAlias",
    "RemoveMultipleMembersFromAlias",
    "OemChangePasswordUser2",
    "ChangePasswordUser2",
    "GetDomPwInfo",
    "Connect2",
    "SetUserInfo2",
    "SetBootKeyInformation",
    "GetBootKeyInformation",
    "Connect3",
    "Connect4",
    "ChangePasswordUser3",
    "Connect5",
    "RidToSid",
    "SetDsrmPassword",
    "ValidatePassword",
};

static const char *const lsa_ops[] = {
    "lsa_Close",
    "lsa_Delete",
    "lsa_EnumPrivs",
    "lsa_QuerySecurity",
    "lsa_SetSecObj",
    "lsa_ChangePassword",
    "lsa_OpenPolicy",
    "lsa_QueryInfoPolicy",
    "lsa_SetInfoPolicy",
    "lsa_ClearAuditLog",
    "lsa_CreateAccount",
    "lsa_EnumAccounts",
    "lsa_CreateTrustedDomain",
    "lsa_EnumTrustDom",
    "lsa_LookupNames",
    "lsa_LookupSids",
    "lsa_CreateSecret",
    "lsa_OpenAccount",
    "lsa_EnumPrivsAccount",
    "lsa_AddPrivilegesToAccount",
    "lsa_RemovePrivilegesFromAccount",
    "lsa_GetQuotasForAccount",
    "lsa_SetQuotasForAccount",
    "lsa_GetSystemAccessAccount",
    "lsa_SetSystemAccessAccount",
    "lsa_OpenTrustedDomain",
    "lsa_QueryTrustedDomainInfo",
    "lsa_SetInformationTrustedDomain",
    "lsa_OpenSecret",
    "lsa_SetSecret",
    "lsa_QuerySecret",
    "lsa_LookupPrivValue",
    "lsa_LookupPrivName",
    "lsa_LookupPrivDisplayName",
    "lsa_DeleteObject",
    "lsa_EnumAccountsWithUserRight",
    "lsa_EnumAccountRights",
    "lsa_AddAccountRights",
    "lsa_RemoveAccountRights",
    "lsa_QueryTrustedDomainInfoBySid",
    "lsa_SetTrustedDomainInfo",
    "lsa_DeleteTrustedDomain",
    "lsa_StorePrivateData",
    "lsa_RetrievePrivateData",
    "lsa_OpenPolicy2",
    "lsa_GetUserName",
    "lsa_QueryInfoPolicy2",
    "lsa_SetInfoPolicy2",
};

static const pa_dcerpc_iface ifaces[] = {
    {"e1af8308-5d1f-11c9-91a4-08002b14a0fa", 3, "EPMv4", epm_ops, N(epm_ops)},
    {"12345778-1234-abcd-ef00-0123456789ac", 1, "SAMR", samr_ops, N(samr_ops)},
    {"12345778-1234-abcd-ef00-0123456789ab", 0, "LSARPC", lsa_ops, N(lsa_ops)},
    {"4b324fc8-1670-01d3-1278-5a47bf6ee188", 3, "SRVSVC", srvsvc_ops, N(srvsvc_ops)},
    {"12345678-1234-abcd-ef00-01234567cffb", 1, "RPC_NETLOGON", NULL, 0},
    {"e3514235-4b06-11d1-ab04-00c04fc2dcd2", 4, "DRSUAPI", NULL, 0},
    {"367abb81-9844-35f1-ad32-98f038001003", 2, "SVCCTL", NULL, 0},
    {"6bffd098-a112-3610-9833-46c3f87e345a", 1, "WKSSVC", NULL, 0},
    {"338cd001-2244-31f1-aaaa-900038001003", 1, "WINREG", NULL, 0},
    {"12345678-1234-abcd-ef00-0123456789ab", 1, "SPOOLSS", NULL, 0},
    {"1ff70682-0a51-30e8-076d-740be8cee98b", 1, "ATSVC", NULL, 0},
    {"3919286a-b10c-11d0-9ba8-00c04fd92ef5", 0, "DSSETUP", NULL, 0},
    {"afa8bd80-7d8a-11c9-bef4-08002b102989", 1, "MGMT", NULL, 0},
    {"82273fdc-e32a-18c3-3f78-827929dc23ea", 0, "EVENTLOG", NULL, 0},
    {"99fcfec4-5260-101b-bbcb-00aa0021347a", 0, "IOXIDResolver", NULL, 0},
    {"000001a0-0000-0000-c000-000000000046", 0, "ISystemActivator", NULL, 0},
    {"4fc742e0-4a10-11cf-8273-00aa004ae673", 3, "NETDFS", NULL, 0},
    {"f5cc5a18-4264-101a-8c59-08002b2f8426", 56, "NSPI", NULL, 0},
};

const pa_dcerpc_iface *pa_dcerpc_iface_find(const uint8_t uuid[16], uint16_t ver) {
    for (size_t i = 0; i < sizeof ifaces / sizeof ifaces[0]; i++) {
        uint8_t u[16];
        if (ifaces[i].ver == ver && pa_dcerpc_uuid_parse(ifaces[i].uuid, u) && !memcmp(u, uuid, 16)) return &ifaces[i];
    }
    return NULL;
}

const char *pa_dcerpc_op_name(const pa_dcerpc_iface *i, uint16_t opnum) {
    return i && i->ops && opnum < i->nops ? i->ops[opnum] : NULL;
}
