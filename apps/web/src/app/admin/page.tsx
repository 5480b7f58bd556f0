import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { RoleSelect } from "@/components/account/RoleSelect";
import { Notice } from "@/components/Notice";
import { formatDate } from "@/lib/format";
import { serverApi } from "@/server/api/server-caller";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  const api = await serverApi();
  const me = await api.auth.me();
  if (me?.kind !== "account") redirect("/signin?next=/admin");
  if (me.role !== "admin") {
    return (
      <Notice title="Admins only">
        This page manages accounts and roles. Ask an admin if you need to be an instructor.
      </Notice>
    );
  }
  const accounts = await api.admin.listUsers();
  return (
    <>
      <h1>Accounts</h1>
      <p className="lead">
        Instructors can run classrooms; admins can also change roles here. The site always keeps at
        least one admin.
      </p>
      <table className="user-table">
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Name</th>
            <th scope="col">Joined</th>
            <th scope="col">Role</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((account) => (
            <tr key={account.id}>
              <td>{account.email}</td>
              <td>{account.displayName ?? "—"}</td>
              <td>{formatDate(account.createdAt)}</td>
              <td>
                <RoleSelect
                  userId={account.id}
                  role={account.role}
                  label={account.email ?? account.id}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
